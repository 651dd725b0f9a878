import { getCurrentUser } from "@/lib/auth/current-user";
import { homePathFor } from "@/lib/auth/permissions";

// Sends each signed-in user to the first page their role may open. The redirect is relative, so
// it stays on the host the browser used (a proxy, 127.0.0.1 or a shop's domain), never the host
// the server believes it has, which would land the user without their session.
export async function GET() {
  const user = await getCurrentUser();
  return new Response(null, { status: 307, headers: { Location: user ? homePathFor(user.role) : "/login", "Cache-Control": "no-store" } });
}
