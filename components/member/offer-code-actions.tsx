"use client";

import { useTranslations } from "next-intl";
import { useState } from "react";
import { Button } from "@/components/ui/button";

/**
 * The offer's code (selectable, with a copy button) and a share link carrying its hashtag.
 * The share link is a plain web intent: it works without scripts and sends nothing to us.
 */
export function OfferCodeActions({ offerId, code, hashtag, text }: { offerId: number; code: string | null; hashtag: string | null; text: string }) {
  const t = useTranslations("offers");
  const [copied, setCopied] = useState(false);
  const shareUrl = `https://x.com/intent/post?text=${encodeURIComponent(text)}`;
  return (
    <div className="mt-auto space-y-2 pt-2">
      {code ? (
        <div className="flex flex-wrap items-end gap-2">
          <div className="min-w-0 flex-1">
            <label htmlFor={`offer-code-${offerId}`} className="block text-sm font-medium">{t("yourCode")}</label>
            <input
              id={`offer-code-${offerId}`}
              readOnly
              value={code}
              onFocus={(e) => e.target.select()}
              className="mt-1 min-h-11 w-full rounded-lg border border-stone-400 bg-stone-50 px-3 font-mono text-base font-bold tracking-wider"
              data-testid="offer-code"
            />
          </div>
          <Button
            variant="secondary"
            aria-label={t("copyCodeLabel", { code })}
            onClick={async () => {
              await navigator.clipboard?.writeText(code).catch(() => undefined);
              setCopied(true);
            }}
          >
            {t("copy")}
          </Button>
        </div>
      ) : null}
      {hashtag ? (
        <p className="text-sm">
          <a href={shareUrl} target="_blank" rel="noopener noreferrer" className="font-semibold text-brand-800 underline">
            {t("share", { hashtag: `#${hashtag}` })}
          </a>
        </p>
      ) : null}
      <p role="status" className="text-sm text-green-800">{copied ? t("copied") : ""}</p>
    </div>
  );
}
