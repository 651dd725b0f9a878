import "server-only";
import type { z } from "zod";
import { AppError } from "@/lib/domain/app-error";

/** Validates a request's query string: unknown or malformed parameters are a 422 naming each. */
export function readQuery<T extends z.ZodType>(request: Request, schema: T): z.output<T> {
  const parsed = schema.safeParse(Object.fromEntries(new URL(request.url).searchParams));
  if (!parsed.success) {
    throw new AppError("VALIDATION", parsed.error.issues.map((issue) => `${issue.path.join(".") || "query"}: ${issue.message}`).join("; "));
  }
  return parsed.data;
}
