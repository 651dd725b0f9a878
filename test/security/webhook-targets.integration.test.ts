import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { fetch as undiciFetch } from "undici";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { prisma } from "@/lib/db/prisma";
import { createWebhookEndpoint } from "@/lib/services/webhooks";
import { isPublicAddress, refuseWebhookUrl, webhookDispatcher } from "@/lib/services/webhook-target";
import { createProgram, createStaffUser } from "@/test/fixtures";

// Webhook endpoints can't be aimed at the shop's own network: https only (outside the embedded
// demo), no private, loopback or link-local targets, checked when saved and at every connection.

const strict = { requireHttps: true, allowHosts: [] as string[] };
let server: Server;
let port: number;
let hits = 0;

beforeAll(async () => {
  server = createServer((_request, response) => {
    hits += 1;
    response.end("ok");
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  port = (server.address() as AddressInfo).port;
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  await prisma.$disconnect();
});

describe("webhook targets", () => {
  test.each([
    ["http://hooks.shop.example/in", "only https"],
    ["https://127.0.0.1/hooks", "private"],
    ["https://10.1.2.3/hooks", "private"],
    ["https://192.168.1.20/hooks", "private"],
    ["https://172.16.0.5/hooks", "private"],
    ["https://169.254.169.254/latest/meta-data", "private"],
    ["https://100.64.0.1/hooks", "private"],
    ["https://0.0.0.0/hooks", "private"],
    ["https://[::1]/hooks", "private"],
    ["https://[fe80::1]/hooks", "private"],
    ["https://[fd00::1]/hooks", "private"],
    ["https://[::ffff:127.0.0.1]/hooks", "private"],
    ["https://localhost/hooks", "not public"],
    ["https://admin.localhost/hooks", "not public"],
    ["https://user:secret@hooks.shop.example/in", "credentials"],
    ["ftp://hooks.shop.example/in", "only https"],
    ["not a url", "not a valid URL"],
  ])("%s is refused", async (url, reason) => {
    expect(await refuseWebhookUrl(url, strict)).toContain(reason);
  });

  test.each(["https://8.8.8.8/hooks", "https://[2606:4700:4700::1111]/hooks", "https://hooks.shop.example/in"])("%s is accepted", async (url) => {
    expect(await refuseWebhookUrl(url, strict)).toBeNull();
  });

  test("public address ranges", () => {
    expect(isPublicAddress("93.184.216.34")).toBe(true);
    expect(isPublicAddress("127.0.0.53")).toBe(false);
    expect(isPublicAddress("::ffff:10.0.0.1")).toBe(false);
  });

  test("saving an endpoint aimed at a private address is a clear error and saves nothing", async () => {
    const setup = await createProgram();
    const actor = await createStaffUser("ADMIN");
    // (the tests exempt only 127.0.0.1, for their local receivers)
    for (const url of ["https://10.0.0.8/hooks", "https://[::1]/hooks", "http://hooks.shop.example/in"]) {
      await expect(createWebhookEndpoint({ programId: setup.program.id, actorUserId: actor.id, url, description: "", eventTypes: ["points.earned"] }))
        .rejects.toMatchObject({ code: "VALIDATION" });
    }
    expect(await prisma.webhookEndpoint.count({ where: { programId: setup.program.id } })).toBe(0);
  });

  test("at connection time a name that resolves to a private address is refused before any byte is sent (DNS rebinding)", async () => {
    hits = 0;
    const dispatcher = webhookDispatcher({ requireHttps: false, allowHosts: [] });
    const error = await undiciFetch(`http://localhost:${port}/hooks`, { method: "POST", body: "{}", dispatcher }).then(() => null, (caught: unknown) => caught);
    expect(error).toBeTruthy();
    expect(JSON.stringify(String((error as { cause?: unknown }).cause))).toContain("not a public address");
    expect(hits).toBe(0);
    // the same dispatcher with the host allowed (local testing) connects
    const allowed = webhookDispatcher({ requireHttps: false, allowHosts: ["localhost"] });
    expect((await undiciFetch(`http://localhost:${port}/hooks`, { method: "POST", body: "{}", dispatcher: allowed })).status).toBe(200);
    expect(hits).toBe(1);
  });
});
