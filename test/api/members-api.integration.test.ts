import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { prisma } from "@/lib/db/prisma";
import { checkLedger } from "@/lib/db/check-ledger";
import { hashPassword, verifyPassword } from "@/lib/auth/password";
import { GET as listMembers, POST as postMember } from "@/app/api/v1/members/route";
import { GET as getMember, PATCH as patchMember } from "@/app/api/v1/members/[externalId]/route";
import { POST as eraseMember } from "@/app/api/v1/members/[externalId]/erase/route";
import { GET as getLedger } from "@/app/api/v1/members/[externalId]/ledger/route";
import { GET as listRedemptions, POST as postRedemption } from "@/app/api/v1/members/[externalId]/redemptions/route";
import { POST as postOrder } from "@/app/api/v1/orders/route";
import { POST as postReturn } from "@/app/api/v1/orders/[externalId]/returns/route";
import { GET as getBalance } from "@/app/api/v1/members/[externalId]/balance/route";
import { createProgram, createReward, uniqueId } from "@/test/fixtures";
import { createApiKey, expectDocumented, jsonRequest, ledgerChecksum } from "@/test/api-helpers";

// The member endpoints integrators asked for: list with cursor pages and filters, update, erase,
// the ledger and redemptions pages. Every answer is checked against the OpenAPI document, and a
// key of program A never sees or changes program B's members (404, as for an unknown id).

type Setup = Awaited<ReturnType<typeof createProgram>>;
let a: Setup;
let b: Setup;
let keyA: string;
let keyB: string;

beforeAll(async () => {
  a = await createProgram({ welcomeBonus: 100 });
  b = await createProgram({ welcomeBonus: 100 });
  keyA = (await createApiKey(a.program.id)).key;
  keyB = (await createApiKey(b.program.id)).key;
});

afterAll(async () => {
  await prisma.$disconnect();
});

const params = (externalId: string) => ({ params: Promise.resolve({ externalId }) });
const get = (url: string, key: string) => jsonRequest(url, { key, method: "GET" });

async function newMember(key: string, overrides: Record<string, unknown> = {}) {
  const externalId = uniqueId("m");
  const response = await postMember(jsonRequest("/api/v1/members", { key, idempotencyKey: uniqueId("i"), body: { externalId, email: `${externalId}@example.test`, name: "Ada", ...overrides } }));
  const member = await expectDocumented(response, "post /members");
  expect(response.status).toBe(201);
  return member as { externalId: string; email: string };
}

async function order(key: string, externalId: string, total = 50) {
  const body = { externalId: uniqueId("o"), member: { externalId }, currency: "USD", total, placedAt: new Date().toISOString(), lines: [{ sku: "TEE", quantity: 1, unitPrice: total }] };
  const response = await postOrder(jsonRequest("/api/v1/orders", { key, idempotencyKey: uniqueId("i"), body }));
  await expectDocumented(response, "post /orders");
  expect(response.status).toBe(201);
  return body.externalId;
}

describe("POST and GET /members/{externalId}", () => {
  test("the created member is the object GET answers, with tier, dates and points", async () => {
    const created = await newMember(keyA, { birthday: "1990-04-02", locale: "hu" });
    expect(created).toMatchObject({ name: "Ada", locale: "hu", birthday: "1990-04-02", isMember: true, tier: "Bronze", erasedAt: null, points: { available: 100 } });
    const response = await getMember(get(`/api/v1/members/${created.externalId}`, keyA), params(created.externalId));
    const read = await expectDocumented(response, "get /members/{externalId}");
    expect(read).toEqual({ ...created, updatedAt: read.updatedAt });
  });

  test("unknown, malformed and another program's member: 404 in the error envelope", async () => {
    const other = await newMember(keyB);
    for (const id of ["nobody", "a b", other.externalId]) {
      const response = await getMember(get(`/api/v1/members/${id}`, keyA), params(id));
      expect(response.status).toBe(404);
      expect((await expectDocumented(response, "get /members/{externalId}")).error.code).toBe("MEMBER_NOT_FOUND");
    }
  });

  test("no key or a wrong key: 401", async () => {
    const response = await getMember(get("/api/v1/members/x", "hearth_not-a-real-key"), params("x"));
    expect(response.status).toBe(401);
    await expectDocumented(response, "get /members/{externalId}");
  });
});

describe("GET /members", () => {
  test("cursor pages cover every member once, in id order; filters narrow them", async () => {
    const setup = await createProgram();
    const { key } = await createApiKey(setup.program.id);
    const members = [];
    for (let index = 0; index < 5; index += 1) members.push(await newMember(key));
    const guest = await newMember(key, { enroll: false });
    const seen: string[] = [];
    let after: string | null = null;
    let pages = 0;
    do {
      const response = await listMembers(get(`/api/v1/members?limit=2${after ? `&after=${after}` : ""}`, key));
      const page = await expectDocumented(response, "get /members");
      expect(page.members.length).toBeLessThanOrEqual(2);
      seen.push(...page.members.map((member: { externalId: string }) => member.externalId));
      after = page.nextCursor;
      pages += 1;
    } while (after);
    expect(pages).toBe(3);
    expect(seen).toEqual([...members, guest].map((member) => member.externalId));

    const nonMembers = await expectDocumented(await listMembers(get("/api/v1/members?isMember=false", key)), "get /members");
    expect(nonMembers.members.map((member: { externalId: string }) => member.externalId)).toEqual([guest.externalId]);
    const byEmail = await expectDocumented(await listMembers(get(`/api/v1/members?email=${encodeURIComponent(members[2].email.toUpperCase())}`, key)), "get /members");
    expect(byEmail.members.map((member: { externalId: string }) => member.externalId)).toEqual([members[2].externalId]);
    const bronze = await expectDocumented(await listMembers(get(`/api/v1/members?tierId=${setup.tiers.bronze.id}`, key)), "get /members");
    expect(bronze.members).toHaveLength(5);
    const noTier = await expectDocumented(await listMembers(get("/api/v1/members?tierId=none", key)), "get /members");
    expect(noTier.members.map((member: { externalId: string }) => member.externalId)).toEqual([guest.externalId]);
    const future = await expectDocumented(await listMembers(get(`/api/v1/members?createdSince=${new Date(Date.now() + 60_000).toISOString()}`, key)), "get /members");
    expect(future).toEqual({ members: [], nextCursor: null });
  });

  test("updatedSince finds members whose record changed: an update, a tier move, an erasure", async () => {
    const setup = await createProgram();
    const { key } = await createApiKey(setup.program.id);
    const [quiet, renamed, climber] = [await newMember(key), await newMember(key), await newMember(key)];
    const since = new Date();
    await new Promise((resolve) => setTimeout(resolve, 20));
    await patchMember(jsonRequest(`/api/v1/members/${renamed.externalId}`, { key, method: "PATCH", body: { name: "Grace" } }), params(renamed.externalId));
    await order(key, climber.externalId, 600); // Silver from 500
    const response = await listMembers(get(`/api/v1/members?updatedSince=${since.toISOString()}`, key));
    const page = await expectDocumented(response, "get /members");
    const ids = page.members.map((member: { externalId: string }) => member.externalId);
    expect(ids).toEqual([renamed.externalId, climber.externalId]);
    expect(ids).not.toContain(quiet.externalId);
    expect(page.members[1].tier).toBe("Silver");
  });

  test("a key sees only its own program's members", async () => {
    const other = await newMember(keyB);
    const mine = await newMember(keyA);
    const byEmail = await expectDocumented(await listMembers(get(`/api/v1/members?email=${encodeURIComponent(other.email)}`, keyA)), "get /members");
    expect(byEmail.members).toEqual([]);
    let after: string | null = null;
    const seen: string[] = [];
    do {
      const page = await expectDocumented(await listMembers(get(`/api/v1/members?limit=100${after ? `&after=${after}` : ""}`, keyA)), "get /members");
      seen.push(...page.members.map((member: { externalId: string }) => member.externalId));
      after = page.nextCursor;
    } while (after);
    expect(seen).toContain(mine.externalId);
    expect(seen).not.toContain(other.externalId);
  });

  test.each([
    ["limit=0"], ["limit=101"], ["limit=abc"], ["limit="], ["limit=1e2"], ["after=not-a-cursor"], ["after=" + Buffer.from('{"list":"ledger","id":1,"at":"2026-01-01T00:00:00.000Z"}').toString("base64url")],
    ["after=" + Buffer.from('{"list":"members","id":99999999999}').toString("base64url")], ["after=%00"], ["isMember=yes"], ["tierId=-1"], ["createdSince=yesterday"], ["email=nope"], ["sort=name"],
  ])("?%s -> 422 with the parameter named", async (query) => {
    const response = await listMembers(get(`/api/v1/members?${query}`, keyA));
    expect(response.status).toBe(422);
    const body = await expectDocumented(response, "get /members");
    expect(body.error.code).toBe("VALIDATION");
    expect(body.error.message).toMatch(new RegExp(`^${query.split("=")[0] === "sort" ? "query" : query.split("=")[0]}`));
  });
});

describe("PATCH /members/{externalId}", () => {
  const patch = (key: string, externalId: string, body: unknown) =>
    patchMember(jsonRequest(`/api/v1/members/${externalId}`, { key, method: "PATCH", body }), params(externalId));

  test("changes name, email, locale and birthday, and answers the member as GET does", async () => {
    const member = await newMember(keyA);
    const email = `${uniqueId("new")}@Example.test`;
    const response = await patch(keyA, member.externalId, { name: "Grace Hopper", email, locale: "ja", birthday: "1985-12-09" });
    const updated = await expectDocumented(response, "patch /members/{externalId}");
    expect(response.status).toBe(200);
    expect(updated).toMatchObject({ name: "Grace Hopper", email: email.toLowerCase(), locale: "ja", birthday: "1985-12-09" });
    const cleared = await expectDocumented(await patch(keyA, member.externalId, { birthday: null }), "patch /members/{externalId}");
    expect(cleared.birthday).toBeNull();
    const audit = await prisma.auditLog.findFirst({ where: { action: "member.updated", data: { path: ["fields"], array_contains: ["email"] } }, orderBy: { id: "desc" } });
    expect(audit?.actorUserId).toBeNull();
    expect(JSON.stringify(audit?.data)).not.toContain(email.toLowerCase()); // which fields, not their values
  });

  test("an email another customer of the program has: 409 EMAIL_TAKEN; the same email in another program is fine", async () => {
    const [first, second] = [await newMember(keyA), await newMember(keyA)];
    const taken = await patch(keyA, second.externalId, { email: first.email.toUpperCase() });
    expect(taken.status).toBe(409);
    expect((await expectDocumented(taken, "patch /members/{externalId}")).error.code).toBe("EMAIL_TAKEN");
    const elsewhere = await newMember(keyB);
    const response = await patch(keyB, elsewhere.externalId, { email: first.email });
    expect(response.status).toBe(200);
    await expectDocumented(response, "patch /members/{externalId}");
  });

  test("two concurrent changes to the same free email: one wins, the other is a 409, never a 500", async () => {
    const [first, second] = [await newMember(keyA), await newMember(keyA)];
    const email = `${uniqueId("race")}@example.test`;
    const responses = await Promise.all([patch(keyA, first.externalId, { email }), patch(keyA, second.externalId, { email })]);
    expect(responses.map((response) => response.status).sort()).toEqual([200, 409]);
    for (const response of responses) await expectDocumented(response, "patch /members/{externalId}");
  });

  test.each([
    ["empty object", {}],
    ["unknown field", { points: 100 }],
    ["bad email", { email: "not-an-email" }],
    ["bad locale", { locale: "xx" }],
    ["future birthday", { birthday: "2999-01-01" }],
    ["birthday as number", { birthday: 19900101 }],
    ["empty name", { name: " " }],
    ["externalId can't change", { externalId: "other" }],
  ])("%s -> 422, nothing changed", async (_label, body) => {
    const member = await newMember(keyA);
    const response = await patch(keyA, member.externalId, body);
    expect(response.status).toBe(422);
    expect((await expectDocumented(response, "patch /members/{externalId}")).error.code).toBe("VALIDATION");
    expect(await prisma.customer.findFirst({ where: { programId: a.program.id, externalId: member.externalId }, select: { name: true, email: true } })).toEqual({ name: "Ada", email: member.email });
  });

  test("not JSON: 400; another program's member: 404 and unchanged", async () => {
    const member = await newMember(keyA);
    const notJson = await patchMember(jsonRequest(`/api/v1/members/${member.externalId}`, { key: keyA, method: "PATCH", rawBody: "{name:" }), params(member.externalId));
    expect(notJson.status).toBe(400);
    await expectDocumented(notJson, "patch /members/{externalId}");
    const cross = await patch(keyB, member.externalId, { name: "Mallory" });
    expect(cross.status).toBe(404);
    expect((await expectDocumented(cross, "patch /members/{externalId}")).error.code).toBe("MEMBER_NOT_FOUND");
    expect((await prisma.customer.findFirstOrThrow({ where: { programId: a.program.id, externalId: member.externalId } })).name).toBe("Ada");
  });
});

describe("POST /members/{externalId}/erase", () => {
  const erase = (key: string, externalId: string, idempotencyKey = uniqueId("i")) =>
    eraseMember(jsonRequest(`/api/v1/members/${externalId}/erase`, { key, idempotencyKey }), params(externalId));

  test("personal data goes, the login can't sign in, points and orders stay and the ledger adds up", async () => {
    const member = await newMember(keyA, { birthday: "1990-04-02" });
    const customer = await prisma.customer.findFirstOrThrow({ where: { programId: a.program.id, externalId: member.externalId } });
    const password = "correct horse battery";
    const user = await prisma.user.create({ data: { email: member.email, name: "Ada", passwordHash: await hashPassword(password) } });
    await prisma.customer.update({ where: { id: customer.id }, data: { userId: user.id, signupDevice: "device-hash", referralCode: uniqueId("REF"), preferences: { categories: ["tea"], channels: ["email"] } } });
    await prisma.emailMessage.create({ data: { programId: a.program.id, customerId: customer.id, kind: "welcome", toEmail: member.email, locale: "en", subject: "Hi Ada", text: "Hi Ada", html: "<p>Hi Ada</p>", status: "PENDING" } });
    const orderId = await order(keyA, member.externalId, 80);
    const pointsBefore = await expectDocumented(await getBalance(get(`/api/v1/members/${member.externalId}/balance`, keyA), params(member.externalId)), "get /members/{externalId}/balance");
    const ledgerBefore = await ledgerChecksum();

    const response = await erase(keyA, member.externalId);
    expect(response.status).toBe(200);
    const erased = await expectDocumented(response, "post /members/{externalId}/erase");
    expect(erased.externalId).toBe(member.externalId);

    const after = await prisma.customer.findUniqueOrThrow({ where: { id: customer.id } });
    expect(after).toMatchObject({ name: "Erased member", birthday: null, signupDevice: null, referralCode: null, preferences: {}, externalId: member.externalId });
    expect(after.email).toMatch(/@erased\.invalid$/);
    expect(after.erasedAt?.toISOString()).toBe(erased.erasedAt);
    const login = await prisma.user.findUniqueOrThrow({ where: { id: user.id } });
    expect(login.isActive).toBe(false);
    expect(login.email).not.toBe(member.email);
    expect(await verifyPassword(login.passwordHash, password)).toBe(false);
    expect(await prisma.user.findUnique({ where: { email: member.email } })).toBeNull();
    const mail = await prisma.emailMessage.findFirstOrThrow({ where: { customerId: customer.id } });
    expect(mail).toMatchObject({ status: "FAILED", subject: "", text: "", html: "" });
    expect(mail.toEmail).toBe(after.email);
    expect(await prisma.auditLog.count({ where: { action: "member.erased", targetId: String(customer.id) } })).toBe(1);

    // the money side is untouched, and still works: a later return reverses the order's points
    expect(await ledgerChecksum()).toBe(ledgerBefore);
    const pointsAfter = await expectDocumented(await getBalance(get(`/api/v1/members/${member.externalId}/balance`, keyA), params(member.externalId)), "get /members/{externalId}/balance");
    expect(pointsAfter).toEqual(pointsBefore);
    const returned = await postReturn(jsonRequest(`/api/v1/orders/${orderId}/returns`, { key: keyA, idempotencyKey: uniqueId("i"), body: { externalId: uniqueId("r"), lines: [{ sku: "TEE", quantity: 1 }] } }), params(orderId));
    expect((await expectDocumented(returned, "post /orders/{externalId}/returns")).pointsReversed).toBe(80);
    expect(await checkLedger(prisma, [customer.id])).toMatchObject({ unbalancedTransactions: 0, mismatchedAccounts: 0, negativeLots: 0 });

    const read = await expectDocumented(await getMember(get(`/api/v1/members/${member.externalId}`, keyA), params(member.externalId)), "get /members/{externalId}");
    expect(read).toMatchObject({ name: "Erased member", birthday: null, erasedAt: erased.erasedAt });
    const listed = await expectDocumented(await listMembers(get(`/api/v1/members?erased=true&updatedSince=${encodeURIComponent(new Date(Date.now() - 60_000).toISOString())}`, keyA)), "get /members");
    expect(listed.members.map((row: { externalId: string }) => row.externalId)).toContain(member.externalId);
  });

  test("idempotent: erasing again (new key) answers the first erasure; the same key replays; details can't come back", async () => {
    const member = await newMember(keyA);
    const idempotencyKey = uniqueId("i");
    const first = await expectDocumented(await erase(keyA, member.externalId, idempotencyKey), "post /members/{externalId}/erase");
    const replay = await erase(keyA, member.externalId, idempotencyKey);
    expect(replay.headers.get("idempotent-replayed")).toBe("true");
    expect(await expectDocumented(replay, "post /members/{externalId}/erase")).toEqual(first);
    const again = await erase(keyA, member.externalId);
    expect(again.status).toBe(200);
    expect(await expectDocumented(again, "post /members/{externalId}/erase")).toEqual(first);
    expect(await prisma.auditLog.count({ where: { action: "member.erased", data: { path: ["externalId"], equals: member.externalId } } })).toBe(1);
    const patched = await patchMember(jsonRequest(`/api/v1/members/${member.externalId}`, { key: keyA, method: "PATCH", body: { email: member.email } }), params(member.externalId));
    expect(patched.status).toBe(409);
    expect((await expectDocumented(patched, "patch /members/{externalId}")).error.code).toBe("CONFLICT");
  });

  test("another program's key: 404, nothing erased; no Idempotency-Key: 400", async () => {
    const member = await newMember(keyA);
    const cross = await erase(keyB, member.externalId);
    expect(cross.status).toBe(404);
    expect((await expectDocumented(cross, "post /members/{externalId}/erase")).error.code).toBe("MEMBER_NOT_FOUND");
    expect((await prisma.customer.findFirstOrThrow({ where: { programId: a.program.id, externalId: member.externalId } })).erasedAt).toBeNull();
    const noKey = await eraseMember(jsonRequest(`/api/v1/members/${member.externalId}/erase`, { key: keyA }), params(member.externalId));
    expect(noKey.status).toBe(400);
    await expectDocumented(noKey, "post /members/{externalId}/erase");
  });
});

describe("GET /members/{externalId}/ledger and /redemptions", () => {
  test("the ledger pages newest first with reasons; the pages cover every entry once", async () => {
    const member = await newMember(keyA);
    const orders = [await order(keyA, member.externalId, 10), await order(keyA, member.externalId, 20), await order(keyA, member.externalId, 30)];
    const entries: { id: number; reason: string; points: number; orderExternalId: string | null }[] = [];
    let after: string | null = null;
    do {
      const response = await getLedger(get(`/api/v1/members/${member.externalId}/ledger?limit=3${after ? `&after=${after}` : ""}`, keyA), params(member.externalId));
      const page = await expectDocumented(response, "get /members/{externalId}/ledger");
      entries.push(...page.entries);
      after = page.nextCursor;
    } while (after);
    expect(entries.map((entry) => [entry.reason, entry.points, entry.orderExternalId])).toEqual([
      ["order", 30, orders[2]], ["order", 20, orders[1]], ["order", 10, orders[0]], ["welcome_bonus", 100, null],
    ]);
    expect(new Set(entries.map((entry) => entry.id)).size).toBe(4);
  });

  test("redemptions page newest first with status, reward and member; POST still redeems (201)", async () => {
    const member = await newMember(keyA);
    await order(keyA, member.externalId, 500);
    const reward = await createReward(a.program.id, { costPoints: 100 });
    const codes: string[] = [];
    for (let index = 0; index < 3; index += 1) {
      const response = await postRedemption(jsonRequest(`/api/v1/members/${member.externalId}/redemptions`, { key: keyA, idempotencyKey: uniqueId("i"), body: { rewardId: reward.id } }), params(member.externalId));
      expect(response.status).toBe(201);
      codes.push((await expectDocumented(response, "post /members/{externalId}/redemptions")).code);
    }
    const first = await expectDocumented(await listRedemptions(get(`/api/v1/members/${member.externalId}/redemptions?limit=2`, keyA), params(member.externalId)), "get /members/{externalId}/redemptions");
    const second = await expectDocumented(await listRedemptions(get(`/api/v1/members/${member.externalId}/redemptions?limit=2&after=${first.nextCursor}`, keyA), params(member.externalId)), "get /members/{externalId}/redemptions");
    expect([...first.redemptions, ...second.redemptions].map((row: { code: string }) => row.code)).toEqual([...codes].reverse());
    expect(second.nextCursor).toBeNull();
    expect(first.redemptions[0]).toMatchObject({ status: "ACTIVE", memberExternalId: member.externalId, reward: { id: reward.id, kind: "FIXED_DISCOUNT" }, pointsSpent: 100, usedAt: null });
  });

  test("another program's member, and a cursor from another list: 404 and 422", async () => {
    const member = await newMember(keyA);
    for (const [handler, operation] of [[getLedger, "get /members/{externalId}/ledger"], [listRedemptions, "get /members/{externalId}/redemptions"]] as const) {
      const cross = await handler(get(`/api/v1/members/${member.externalId}/x`, keyB), params(member.externalId));
      expect(cross.status).toBe(404);
      await expectDocumented(cross, operation);
      const membersCursor = Buffer.from(JSON.stringify({ list: "members", id: 1 })).toString("base64url");
      const wrong = await handler(get(`/api/v1/members/${member.externalId}/x?after=${membersCursor}`, keyA), params(member.externalId));
      expect(wrong.status).toBe(422);
      await expectDocumented(wrong, operation);
    }
  });
});

test("members of B are never reachable with A's key on any member endpoint", async () => {
  const victim = await newMember(keyB);
  const customer = await prisma.customer.findFirstOrThrow({ where: { programId: b.program.id, externalId: victim.externalId } });
  const before = await ledgerChecksum();
  const calls: [Promise<Response>, string][] = [
    [getMember(get(`/api/v1/members/${victim.externalId}`, keyA), params(victim.externalId)), "get /members/{externalId}"],
    [patchMember(jsonRequest(`/api/v1/members/${victim.externalId}`, { key: keyA, method: "PATCH", body: { name: "x" } }), params(victim.externalId)), "patch /members/{externalId}"],
    [eraseMember(jsonRequest(`/api/v1/members/${victim.externalId}/erase`, { key: keyA, idempotencyKey: uniqueId("i") }), params(victim.externalId)), "post /members/{externalId}/erase"],
    [getLedger(get(`/api/v1/members/${victim.externalId}/ledger`, keyA), params(victim.externalId)), "get /members/{externalId}/ledger"],
    [listRedemptions(get(`/api/v1/members/${victim.externalId}/redemptions`, keyA), params(victim.externalId)), "get /members/{externalId}/redemptions"],
  ];
  for (const [call, operation] of calls) {
    const response = await call;
    expect(response.status, operation).toBe(404);
    await expectDocumented(response, operation);
  }
  expect(await ledgerChecksum()).toBe(before);
  expect(await prisma.customer.findUniqueOrThrow({ where: { id: customer.id } })).toMatchObject({ name: "Ada", erasedAt: null });
});
