import { randomBytes } from "node:crypto";
import NextAuth, { CredentialsSignin, type DefaultSession } from "next-auth";
import Credentials from "next-auth/providers/credentials";
import { prisma } from "@/lib/db/prisma";
import { loginSchema } from "@/lib/validations/auth";
import { hashPassword, verifyPassword } from "./password";
import { clearAttempts, clientAddress, countAttempt } from "./attempt-limits";
import { authSecret } from "./secret";

declare module "next-auth" {
  interface Session {
    user: { id: string } & DefaultSession["user"];
    /** the user's session version when this session was signed in (see getCurrentUser) */
    sessionVersion?: number;
  }
  interface User {
    sessionVersion?: number;
  }
}

/** Thrown by authorize when the address or the account is over its attempt limit (lib/auth/attempt-limits.ts). */
export class TooManyAttempts extends CredentialsSignin {
  code = "rate_limited";
}

// Verifying against a real (throwaway) hash keeps a login for an unknown email as slow as a real one.
let dummyHash: Promise<string> | undefined;
const getDummyHash = () => (dummyHash ??= hashPassword(randomBytes(16).toString("hex")));

export const { handlers, auth, signIn, signOut } = NextAuth({
  secret: authSecret(),
  trustHost: true,
  session: { strategy: "jwt", maxAge: 60 * 60 * 24 * 7 },
  pages: { signIn: "/login" },
  providers: [
    Credentials({
      credentials: { email: {}, password: {} },
      async authorize(credentials, request) {
        // Auth.js adds its own fields (redirectTo, callbackUrl); validate only ours.
        const parsed = loginSchema.safeParse({ email: credentials?.email, password: credentials?.password });
        if (!parsed.success) return null;
        // counted here, so the console's form and a direct POST to /api/auth share the limits
        try {
          await countAttempt([{ kind: "loginIp", key: clientAddress(request.headers) }, { kind: "loginAccount", key: parsed.data.email }]);
        } catch {
          throw new TooManyAttempts();
        }
        const user = await prisma.user.findUnique({
          where: { email: parsed.data.email },
          select: { id: true, email: true, name: true, passwordHash: true, isActive: true, sessionVersion: true },
        });
        const isValid = await verifyPassword(user?.passwordHash ?? (await getDummyHash()), parsed.data.password);
        if (!user || !user.isActive || !isValid) return null;
        // a successful login forgets the account's earlier failed attempts
        await clearAttempts("loginAccount", parsed.data.email);
        return { id: String(user.id), email: user.email, name: user.name, sessionVersion: user.sessionVersion };
      },
    }),
  ],
  callbacks: {
    jwt({ token, user }) {
      // only at sign-in: a session's version is never refreshed, so a bumped version ends it
      if (user?.id) {
        token.sub = user.id;
        token.sv = user.sessionVersion ?? 0;
      }
      return token;
    },
    session({ session, token }) {
      if (token.sub) session.user.id = token.sub;
      session.sessionVersion = typeof token.sv === "number" ? token.sv : -1;
      return session;
    },
  },
});
