import { expect, test } from "vitest";
import en from "@/messages/en.json";
import ko from "@/messages/ko.json";

function keys(value: unknown, prefix = ""): string[] {
  if (typeof value !== "object" || value === null) return [prefix];
  return Object.entries(value).flatMap(([key, child]) => keys(child, prefix ? `${prefix}.${key}` : key));
}

test.each([["ko", ko]])("%s has exactly the keys of en", (_locale, messages) => {
  expect(keys(messages).sort()).toEqual(keys(en).sort());
});

test("error messages exist for every error code", async () => {
  const { errorCodes } = await import("@/lib/domain/app-error");
  for (const code of errorCodes) expect(Object.keys(en.errors)).toContain(code);
});
