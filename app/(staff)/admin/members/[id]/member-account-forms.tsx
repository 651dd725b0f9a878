"use client";

import { useTranslations } from "next-intl";
import { useAction } from "next-safe-action/hooks";
import { useState } from "react";
import { ActionError } from "@/components/shared/action-error";
import { Button } from "@/components/ui/button";
import { Alert } from "@/components/ui/card";
import { TextField } from "@/components/ui/field";
import { sendMemberResetLinkAction, setMemberActiveAction } from "@/lib/actions/account";

/** Deactivate or reactivate a member (fraud), and send them a link to set a new password. */
export function MemberAccountForms({ customerId, userId, isActive, name }: { customerId: number; userId: number | null; isActive: boolean; name: string }) {
  const t = useTranslations("admin.members");
  const [note, setNote] = useState("");
  const toggle = useAction(setMemberActiveAction);
  const reset = useAction(sendMemberResetLinkAction);
  return (
    <div className="space-y-4">
      <div className="space-y-2">
        <p className="text-sm text-stone-700">{isActive ? t("deactivateHint") : t("reactivateHint")}</p>
        <ActionError result={toggle.result} />
        {isActive ? (
          <TextField id="deactivation-note" label={t("deactivationNoteLabel")} value={note} onChange={(e) => setNote(e.target.value)} />
        ) : null}
        <Button variant={isActive ? "secondary" : "primary"} disabled={toggle.isPending}
          onClick={() => toggle.execute({ customerId, isActive: !isActive, ...(isActive && note.trim() ? { note } : {}) })}>
          {isActive ? t("deactivate") : t("reactivate")}<span className="sr-only"> {name}</span>
        </Button>
      </div>
      {userId && isActive ? (
        <div className="space-y-2">
          <p className="text-sm text-stone-700">{t("resetHint")}</p>
          <ActionError result={reset.result} />
          {reset.result.data ? <Alert tone="success">{t("resetSent", { email: reset.result.data.email })}</Alert> : null}
          <Button variant="secondary" disabled={reset.isPending} onClick={() => reset.execute({ userId })}>{t("sendResetLink")}</Button>
        </div>
      ) : null}
    </div>
  );
}
