import { z } from "zod";
import { AppError } from "@/lib/domain/app-error";

// Cursors are opaque to clients (base64url JSON): the server may change what a page continues
// from without breaking them. Each list tags its cursors, so one list's cursor can't page another.

const keysetSchema = z.object({ list: z.string(), id: z.number().int().positive().max(2_147_483_647), at: z.iso.datetime().optional() }).strict();
export type Keyset = { id: number; at?: Date };

export function encodeCursor(list: string, keyset: Keyset): string {
  return Buffer.from(JSON.stringify({ list, id: keyset.id, ...(keyset.at ? { at: keyset.at.toISOString() } : {}) })).toString("base64url");
}

/**
 * The keyset a nextCursor stands for (`timed`: lists ordered by time carry one); anything else
 * is a 422, never a 500.
 */
export function decodeCursor(list: string, cursor: string | undefined, { timed = false } = {}): Keyset | undefined {
  if (cursor === undefined) return undefined;
  let parsed: z.infer<typeof keysetSchema> | null = null;
  try {
    const result = keysetSchema.safeParse(JSON.parse(Buffer.from(cursor, "base64url").toString("utf8")));
    parsed = result.success ? result.data : null;
  } catch {
    parsed = null;
  }
  if (!parsed || parsed.list !== list || (parsed.at !== undefined) !== timed) throw new AppError("VALIDATION", "after: not a cursor from this list's nextCursor");
  return { id: parsed.id, ...(parsed.at ? { at: new Date(parsed.at) } : {}) };
}
