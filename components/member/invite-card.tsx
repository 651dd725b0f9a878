"use client";

import { useTranslations } from "next-intl";
import { useState } from "react";
import { Button } from "@/components/ui/button";

/** The member's invitation link with a copy button (the link is also selectable text). */
export function InviteLink({ link }: { link: string }) {
  const t = useTranslations("dashboard");
  const [copied, setCopied] = useState(false);
  return (
    <div className="flex flex-wrap items-end gap-2">
      <div className="min-w-0 flex-1">
        <label htmlFor="invite-link" className="block text-sm font-medium">{t("inviteLink")}</label>
        <input id="invite-link" readOnly value={link} onFocus={(e) => e.target.select()} className="mt-1 min-h-11 w-full rounded-lg border border-stone-400 bg-stone-50 px-3 font-mono text-sm" />
      </div>
      <Button
        variant="secondary"
        onClick={async () => {
          await navigator.clipboard?.writeText(link).catch(() => undefined);
          setCopied(true);
        }}
      >
        {t("copy")}
      </Button>
      <p role="status" className="w-full text-sm text-green-800">{copied ? t("copied") : ""}</p>
    </div>
  );
}
