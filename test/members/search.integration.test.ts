import { afterAll, expect, test } from "vitest";
import { prisma } from "@/lib/db/prisma";
import { searchMembers } from "@/lib/db/staff-reads";
import { createProgram, uniqueId } from "@/test/fixtures";

// The console's member search (lib/db/staff-reads.ts): email or name containing the words in any
// case, or the shop's id exactly; only this program's customers; at most 25, newest members first.
// Migration 20261204000000_member_search_trigram answers it from a trigram index (issue 12).

afterAll(async () => {
  await prisma.$disconnect();
});

async function customer(programId: number, data: { email: string; name: string; enrolledAt?: Date | null }) {
  return prisma.customer.create({ data: { programId, externalId: uniqueId("ext"), enrolledAt: null, ...data }, select: { id: true, externalId: true } });
}

test("search matches email and name in any case, the shop's id exactly, and only this program", async () => {
  const { program } = await createProgram();
  const { program: other } = await createProgram();
  const tag = uniqueId("zq").toLowerCase();
  const ana = await customer(program.id, { email: `ana.${tag}@shop.test`, name: "Ana Kovács", enrolledAt: new Date("2026-03-01T00:00:00Z") });
  const bela = await customer(program.id, { email: `bela@shop.test`, name: `Béla ${tag.toUpperCase()}`, enrolledAt: new Date("2026-05-01T00:00:00Z") });
  const guest = await customer(program.id, { email: `guest.${tag}@shop.test`, name: "Guest" });
  await customer(other.id, { email: `ana.${tag}@shop.test`, name: "Elsewhere" });
  await customer(program.id, { email: "unrelated@shop.test", name: "Unrelated" });

  const found = await searchMembers(program.id, `  ${tag.toUpperCase()} `);
  // newest members first, guests (never joined) last
  expect(found.map((row) => row.id)).toEqual([bela.id, ana.id, guest.id]);
  expect(found[0].points).toEqual({ available: 0, pending: 0 });

  expect((await searchMembers(program.id, "kovÁcs")).map((row) => row.id)).toEqual([ana.id]);
  expect((await searchMembers(program.id, ana.externalId)).map((row) => row.id)).toEqual([ana.id]);
  // part of the shop's id is not a match (ids are matched exactly)
  expect(await searchMembers(program.id, ana.externalId.slice(0, -2) + "zz")).toEqual([]);
  expect(await searchMembers(other.id, "Kovács")).toEqual([]);
});

test("a search under three characters matches the shop's id exactly, never inside emails or names", async () => {
  const { program } = await createProgram();
  const tag = uniqueId("sh").toLowerCase();
  const exact = await prisma.customer.create({ data: { programId: program.id, externalId: "Q7", email: `q7.${tag}@shop.test`, name: "Q7 Person" }, select: { id: true } });
  await customer(program.id, { email: `xq7x.${tag}@shop.test`, name: "Other Q7" });
  expect((await searchMembers(program.id, "Q7")).map((row) => row.id)).toEqual([exact.id]);
  expect(await searchMembers(program.id, "q7")).toEqual([]);
  expect((await searchMembers(program.id, "Q7 ")).map((row) => row.id)).toEqual([exact.id]);
  expect((await searchMembers(program.id, "q7.")).map((row) => row.id)).toEqual([exact.id]);
});

test("LIKE wildcards in a search are literal characters", async () => {
  const { program } = await createProgram();
  const tag = uniqueId("wc").toLowerCase();
  const percent = await customer(program.id, { email: `a%b.${tag}@shop.test`, name: "Percent", enrolledAt: new Date() });
  await customer(program.id, { email: `axxb.${tag}@shop.test`, name: "Letters", enrolledAt: new Date() });
  const under = await customer(program.id, { email: `c_d.${tag}@shop.test`, name: "Underscore", enrolledAt: new Date() });
  await customer(program.id, { email: `cxd.${tag}@shop.test`, name: "Letter", enrolledAt: new Date() });
  expect((await searchMembers(program.id, `a%b.${tag}`)).map((row) => row.id)).toEqual([percent.id]);
  expect((await searchMembers(program.id, `c_d.${tag}`)).map((row) => row.id)).toEqual([under.id]);
  const slash = await customer(program.id, { email: `e.${tag}@shop.test`, name: "back\\slash", enrolledAt: new Date() });
  await customer(program.id, { email: `f.${tag}@shop.test`, name: "backslash", enrolledAt: new Date() });
  expect((await searchMembers(program.id, "k\\s")).map((row) => row.id)).toEqual([slash.id]);
});

test("the trigram index behind the search is in place and valid", async () => {
  // which plan uses it depends on the table's size: bench/pages.mjs prints the search's plan at
  // 1,000,000 customers
  const rows = await prisma.$queryRaw<{ definition: string; valid: boolean }[]>`
    SELECT pg_get_indexdef(i."indexrelid") AS "definition", i."indisvalid" AS "valid"
    FROM pg_index i JOIN pg_class c ON c."oid" = i."indexrelid" WHERE c."relname" = 'Customer_search_trgm_idx'`;
  expect(rows).toEqual([{ definition: expect.stringMatching(/USING gin \(email gin_trgm_ops, name gin_trgm_ops\)/), valid: true }]);
});
