"use server";

import { AuthError, CredentialsSignin } from "next-auth";
import { signIn } from "@/lib/auth/auth";
import { homePathFor } from "@/lib/auth/permissions";
import { prisma } from "@/lib/db/prisma";
import { AppError } from "@/lib/domain/app-error";
import { loginSchema } from "@/lib/validations/auth";
import { actionClient } from "./safe-action";

export const logInAction = actionClient
  .metadata({ name: "logIn" })
  .inputSchema(loginSchema)
  .action(async ({ parsedInput }) => {
    const user = await prisma.user.findUnique({ where: { email: parsedInput.email }, select: { role: true } });
    try {
      const home = homePathFor(user?.role ?? "MEMBER");
      const { welcome, ...credentials } = parsedInput;
      await signIn("credentials", { ...credentials, redirectTo: welcome && user?.role === "MEMBER" ? `${home}?welcome=1` : home });
    } catch (error) {
      if (error instanceof CredentialsSignin && error.code === "rate_limited") throw new AppError("RATE_LIMITED");
      if (error instanceof AuthError) throw new AppError("INVALID_CREDENTIALS");
      throw error;
    }
  });
