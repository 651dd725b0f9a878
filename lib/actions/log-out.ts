"use server";

import { signOut } from "@/lib/auth/auth";

export async function logOutAction() {
  await signOut({ redirectTo: "/login" });
}
