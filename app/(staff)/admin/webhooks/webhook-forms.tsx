"use client";

import { useTranslations } from "next-intl";
import { useAction } from "next-safe-action/hooks";
import { useState, type FormEvent } from "react";
import { ActionError, useFieldError } from "@/components/shared/action-error";
import { Button } from "@/components/ui/button";
import { Alert } from "@/components/ui/card";
import { CheckboxField, TextField } from "@/components/ui/field";
import { createWebhookEndpointAction, resendDeliveryAction, setWebhookEndpointActiveAction } from "@/lib/actions/webhooks";
import { webhookEventTypeValues } from "@/lib/validations/console";

type EventType = (typeof webhookEventTypeValues)[number];

export function CreateWebhookForm() {
  const t = useTranslations("admin.webhooks");
  const [url, setUrl] = useState("");
  const [description, setDescription] = useState("");
  const [eventTypes, setEventTypes] = useState<EventType[]>([]);
  const { execute, result, isPending } = useAction(createWebhookEndpointAction, { onSuccess: () => { setUrl(""); setDescription(""); setEventTypes([]); } });
  const fieldError = useFieldError(result);
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    execute({ url, description, eventTypes });
  };
  return (
    <form onSubmit={onSubmit} className="grid gap-3" noValidate aria-label={t("create")}>
      <ActionError result={result} />
      {result.data ? (
        <Alert tone="success">
          <strong>{t("createdTitle")}</strong> {t("createdBody")}
          <code className="mt-2 block break-all rounded bg-white p-2 font-mono text-sm" data-testid="webhook-secret">{result.data.secret}</code>
        </Alert>
      ) : null}
      <div className="grid gap-3 sm:grid-cols-2">
        <TextField id="webhook-url" label={t("url")} type="url" inputMode="url" placeholder="https://shop.example/hooks/hearth" value={url} error={fieldError("url")} onChange={(e) => setUrl(e.target.value)} />
        <TextField id="webhook-description" label={t("description")} value={description} error={fieldError("description")} onChange={(e) => setDescription(e.target.value)} />
      </div>
      <fieldset className="flex flex-wrap gap-x-5 gap-y-2">
        <legend className="mb-1 text-sm font-semibold">{t("events")} <span className="font-normal text-stone-600">({t("allEvents")} = ∅)</span></legend>
        {webhookEventTypeValues.map((type) => (
          <CheckboxField
            key={type}
            id={`webhook-event-${type}`}
            label={<code className="text-sm">{type}</code>}
            checked={eventTypes.includes(type)}
            onChange={(e) => setEventTypes(e.target.checked ? [...eventTypes, type] : eventTypes.filter((item) => item !== type))}
          />
        ))}
      </fieldset>
      <div>
        <Button type="submit" disabled={isPending}>{t("create")}</Button>
      </div>
    </form>
  );
}

export function ToggleEndpointButton({ endpointId, isActive, url }: { endpointId: number; isActive: boolean; url: string }) {
  const t = useTranslations("admin.webhooks");
  const { execute, result, isPending } = useAction(setWebhookEndpointActiveAction);
  return (
    <div>
      <Button variant={isActive ? "danger" : "secondary"} disabled={isPending} onClick={() => execute({ endpointId, isActive: !isActive })}>
        {isActive ? t("disable") : t("enable")}<span className="sr-only"> {url}</span>
      </Button>
      <ActionError result={result} />
    </div>
  );
}

export function ResendButton({ deliveryId }: { deliveryId: number }) {
  const t = useTranslations("admin.webhooks");
  const { execute, result, isPending } = useAction(resendDeliveryAction);
  return (
    <div>
      <Button variant="secondary" className="whitespace-nowrap" disabled={isPending || Boolean(result.data)} onClick={() => execute({ deliveryId })}>
        {t("resend")}<span className="sr-only"> #{deliveryId}</span>
      </Button>
      {result.data ? <p role="status" className="text-xs text-green-800">{t("resent")}</p> : null}
      <ActionError result={result} />
    </div>
  );
}
