import { parse } from "@formatjs/icu-messageformat-parser";
import { expect, test } from "vitest";
import en from "@/messages/en.json";
import hu from "@/messages/hu.json";
import ja from "@/messages/ja.json";
import ko from "@/messages/ko.json";
import ptBR from "@/messages/pt-BR.json";
import ru from "@/messages/ru.json";

function keys(value: unknown, prefix = ""): string[] {
  if (typeof value !== "object" || value === null) return [prefix];
  return Object.entries(value).flatMap(([key, child]) => keys(child, prefix ? `${prefix}.${key}` : key));
}

// every locale covers everything a member, visitor or staff member reads (portal and console)
test.each([["ko", ko], ["ja", ja], ["ru", ru], ["hu", hu], ["pt-BR", ptBR]])("%s has exactly the keys of en (portal and console)", (_locale, messages) => {
  expect(keys(messages).sort()).toEqual(keys(en).sort());
});

type Element = { type: number; value?: unknown; options?: Record<string, { value: Element[] }>; children?: Element[] };

/** The argument names a message uses (plural/select branches included), from a real ICU parse. */
function argumentNames(elements: Element[], names = new Set<string>()): Set<string> {
  for (const element of elements) {
    if (element.type >= 1 && element.type <= 6 && typeof element.value === "string") names.add(element.value);
    for (const option of Object.values(element.options ?? {})) argumentNames(option.value, names);
    if (element.children) argumentNames(element.children, names);
  }
  return names;
}

const flat = (value: unknown, prefix = ""): [string, string][] =>
  typeof value === "string" ? [[prefix, value]] : Object.entries(value as object).flatMap(([key, child]) => flat(child, prefix ? `${prefix}.${key}` : key));

test.each([["en", en], ["ko", ko], ["ja", ja], ["ru", ru], ["hu", hu], ["pt-BR", ptBR]])("%s: every message parses and uses the same arguments as en", (_locale, messages) => {
  const english = new Map(flat(en));
  for (const [key, text] of flat(messages)) {
    const names = argumentNames(parse(text) as Element[]);
    const source = english.get(key);
    expect([key, [...names].sort()]).toEqual([key, [...argumentNames(parse(source!) as Element[])].sort()]);
  }
});

test("error messages exist for every error code", async () => {
  const { errorCodes } = await import("@/lib/domain/app-error");
  for (const code of errorCodes) expect(Object.keys(en.errors)).toContain(code);
});
