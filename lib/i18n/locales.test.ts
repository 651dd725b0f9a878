import { expect, test } from "vitest";
import { localeFromAcceptLanguage } from "./locales";

test.each([
  ["ko-KR,ko;q=0.9,en;q=0.8", "ko"],
  ["en-US,en;q=0.9", "en"],
  ["fr-FR,ko;q=0.5", "ko"],
  ["fr-FR", null],
  ["ja-JP,ja;q=0.9", "ja"],
  ["pt-BR,pt;q=0.9", "pt-BR"],
  ["pt-PT", "pt-BR"],
  ["hu", "hu"],
  ["ru-RU", "ru"],
  [null, null],
])("%s -> %s", (header, expected) => {
  expect(localeFromAcceptLanguage(header)).toBe(expected);
});
