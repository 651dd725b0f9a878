"use server";

import { randomUUID } from "node:crypto";
import { cookies, headers } from "next/headers";
import { clientAddress, countAttempt } from "@/lib/auth/attempt-limits";
import { startJoin } from "@/lib/services/join-program";
import { joinSchema } from "@/lib/validations/auth";
import { actionClient } from "./safe-action";

const DEVICE_COOKIE = "hearth_device";

/**
 * The join form. Nothing is created until the emailed link is used (lib/services/join-program.ts),
 * and every valid submission gets the same answer, known address or not.
 */
export const signUpAction = actionClient
  .metadata({ name: "signUp" })
  .inputSchema(joinSchema)
  .action(async ({ parsedInput }) => {
    await countAttempt([{ kind: "joinIp", key: clientAddress(await headers()) }, { kind: "joinAccount", key: parsedInput.email }]);
    // a random id for this browser, kept in a cookie: the referral guard compares it
    const jar = await cookies();
    let deviceId = jar.get(DEVICE_COOKIE)?.value ?? null;
    if (!deviceId || !/^[\w-]{16,64}$/.test(deviceId)) {
      deviceId = randomUUID();
      jar.set(DEVICE_COOKIE, deviceId, { path: "/", maxAge: 60 * 60 * 24 * 365 * 2, sameSite: "lax", httpOnly: true });
    }
    await startJoin({ input: parsedInput, deviceId });
    return { sent: true };
  });
