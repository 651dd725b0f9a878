"use server";

import { cookies } from "next/headers";
import { revalidatePath } from "next/cache";
import { getCurrentUser } from "@/lib/auth/current-user";
import { prisma } from "@/lib/db/prisma";
import { LOCALE_COOKIE } from "@/lib/i18n/locales";
import { setLocaleSchema } from "@/lib/validations/member";
import { actionClient } from "./safe-action";

export const setLocaleAction = actionClient
  .metadata({ name: "setLocale" })
  .inputSchema(setLocaleSchema)
  .action(async ({ parsedInput: { locale } }) => {
    (await cookies()).set(LOCALE_COOKIE, locale, { path: "/", maxAge: 60 * 60 * 24 * 365, sameSite: "lax" });
    const user = await getCurrentUser();
    if (user?.customer) await prisma.customer.update({ where: { id: user.customer.id }, data: { locale } });
    revalidatePath("/", "layout");
  });
