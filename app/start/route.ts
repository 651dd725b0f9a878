import { NextResponse } from "next/server";
import { getCurrentUser } from "@/lib/auth/current-user";
import { homePathFor } from "@/lib/auth/permissions";

// Sends each signed-in user to the first page their role may open.
export async function GET(request: Request) {
  const user = await getCurrentUser();
  return NextResponse.redirect(new URL(user ? homePathFor(user.role) : "/login", request.url));
}
