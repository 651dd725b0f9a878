"use server";

import { signIn } from "@/lib/auth/auth";
import { signUpMember } from "@/lib/services/sign-up-member";
import { signUpSchema } from "@/lib/validations/auth";
import { actionClient } from "./safe-action";

export const signUpAction = actionClient
  .metadata({ name: "signUp" })
  .inputSchema(signUpSchema)
  .action(async ({ parsedInput }) => {
    await signUpMember(parsedInput);
    await signIn("credentials", { email: parsedInput.email, password: parsedInput.password, redirectTo: "/dashboard?welcome=1" });
  });
