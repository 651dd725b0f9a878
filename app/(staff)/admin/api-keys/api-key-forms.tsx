"use client";

import { useTranslations } from "next-intl";
import { useAction } from "next-safe-action/hooks";
import { useState, type FormEvent } from "react";
import { ActionError, useFieldError } from "@/components/shared/action-error";
import { Button } from "@/components/ui/button";
import { Alert } from "@/components/ui/card";
import { TextField } from "@/components/ui/field";
import { createApiKeyAction } from "@/lib/actions/create-api-key";
import { revokeApiKeyAction } from "@/lib/actions/revoke-api-key";

export function CreateApiKeyForm() {
  const t = useTranslations("admin.apiKeys");
  const [name, setName] = useState("");
  const { execute, result, isPending } = useAction(createApiKeyAction, { onSuccess: () => setName("") });
  const fieldError = useFieldError(result);
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    execute({ name });
  };
  return (
    <form onSubmit={onSubmit} className="space-y-3" noValidate>
      <ActionError result={result} />
      {result.data ? (
        <Alert tone="success">
          <strong>{t("createdTitle")}</strong> {t("createdBody")}
          <code className="mt-2 block break-all rounded bg-white p-2 font-mono text-sm" data-testid="new-api-key">{result.data.key}</code>
        </Alert>
      ) : null}
      <div className="flex flex-wrap items-end gap-2">
        <div className="min-w-0 flex-1">
          <TextField id="key-name" label={t("name")} value={name} error={fieldError("name")} onChange={(e) => setName(e.target.value)} />
        </div>
        <Button type="submit" disabled={isPending}>{t("create")}</Button>
      </div>
    </form>
  );
}

export function RevokeApiKeyButton({ apiKeyId, name }: { apiKeyId: number; name: string }) {
  const t = useTranslations("admin.apiKeys");
  const { execute, result, isPending } = useAction(revokeApiKeyAction);
  return (
    <div>
      <Button variant="danger" disabled={isPending} onClick={() => { if (window.confirm(t("confirmRevoke", { name }))) execute({ apiKeyId }); }}>
        {t("revoke")}<span className="sr-only"> {name}</span>
      </Button>
      <ActionError result={result} />
    </div>
  );
}
