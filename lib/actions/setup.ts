"use server";

import { headers } from "next/headers";
import { clientAddress, countAttempt } from "@/lib/auth/attempt-limits";
import { signIn } from "@/lib/auth/auth";
import { AppError } from "@/lib/domain/app-error";
import { isSetupToken, setUpInstallation } from "@/lib/services/first-run";
import { setupFormSchema } from "@/lib/validations/setup";
import { actionClient } from "./safe-action";

/** The one-time setup page: needs the printed setup token; refused once an admin exists. */
export const setupAction = actionClient
  .metadata({ name: "setup" })
  .inputSchema(setupFormSchema)
  .action(async ({ parsedInput: { token, ...input } }) => {
    await countAttempt([{ kind: "loginIp", key: clientAddress(await headers()) }]);
    if (!isSetupToken(token)) throw new AppError("FORBIDDEN");
    await setUpInstallation(input);
    await signIn("credentials", { email: input.adminEmail, password: input.adminPassword, redirectTo: "/admin/rules" });
  });
