"use client";

import { useTranslations } from "next-intl";
import { Alert } from "@/components/ui/card";
import type { ActionServerError } from "@/lib/actions/safe-action";

type Result = { serverError?: ActionServerError; validationErrors?: unknown } | undefined;

/** Shows an action's failure in the user's language (never a raw server message). */
export function ActionError({ result }: { result: Result }) {
  const t = useTranslations("errors");
  if (!result) return null;
  if (result.serverError) {
    return <Alert>{t(result.serverError.code, { reference: result.serverError.reference ?? "" })}</Alert>;
  }
  if (result.validationErrors) return <Alert>{t("VALIDATION")}</Alert>;
  return null;
}

/** First validation message for a field, translated when it is one of our codes. */
export function useFieldError(result: Result) {
  const t = useTranslations("errors");
  const errors = (result?.validationErrors ?? {}) as Record<string, unknown>;
  return (field: string) => {
    // nested fields by dotted path: "tiers.1.name"
    let node: unknown = errors;
    for (const key of field.split(".")) node = node && typeof node === "object" ? (node as Record<string, unknown>)[key] : undefined;
    const message = (node as { _errors?: string[] } | undefined)?._errors?.[0];
    if (!message) return undefined;
    return t.has(message as never) ? t(message as never) : t("invalidField");
  };
}
