"use server";

import { randomUUID } from "node:crypto";
import { cookies, headers } from "next/headers";
import { clientAddress, countAttempt } from "@/lib/auth/attempt-limits";
import { signIn } from "@/lib/auth/auth";
import { signUpMember } from "@/lib/services/sign-up-member";
import { signUpSchema } from "@/lib/validations/auth";
import { actionClient } from "./safe-action";

const DEVICE_COOKIE = "hearth_device";

export const signUpAction = actionClient
  .metadata({ name: "signUp" })
  .inputSchema(signUpSchema)
  .action(async ({ parsedInput }) => {
    await countAttempt([{ kind: "joinIp", key: clientAddress(await headers()) }]);
    // a random id for this browser, kept in a cookie: the referral guard compares it
    const jar = await cookies();
    let deviceId = jar.get(DEVICE_COOKIE)?.value ?? null;
    if (!deviceId || !/^[\w-]{16,64}$/.test(deviceId)) {
      deviceId = randomUUID();
      jar.set(DEVICE_COOKIE, deviceId, { path: "/", maxAge: 60 * 60 * 24 * 365 * 2, sameSite: "lax", httpOnly: true });
    }
    await signUpMember({ ...parsedInput, deviceId });
    await signIn("credentials", { email: parsedInput.email, password: parsedInput.password, redirectTo: "/dashboard?welcome=1" });
  });
