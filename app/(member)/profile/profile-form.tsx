"use client";

import { useTranslations } from "next-intl";
import { useAction } from "next-safe-action/hooks";
import { useState, type FormEvent } from "react";
import { ActionError, useFieldError } from "@/components/shared/action-error";
import { Button } from "@/components/ui/button";
import { Alert } from "@/components/ui/card";
import { CheckboxField, TextField } from "@/components/ui/field";
import { saveProfileAction } from "@/lib/actions/save-profile";

type Values = { name: string; birthday: string; categories: string[]; channels: ("email" | "inbox")[] };

export function ProfileForm({ initial, categories, birthdayLocked }: { initial: Values; categories: string[]; birthdayLocked: boolean }) {
  const t = useTranslations("profile");
  const [form, setForm] = useState(initial);
  const { execute, result, isPending } = useAction(saveProfileAction);
  const fieldError = useFieldError(result);
  const toggle = <T extends string>(list: T[], value: T, on: boolean) => (on ? [...list, value] : list.filter((item) => item !== value));
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    execute({ name: form.name, birthday: form.birthday, categories: form.categories, channels: form.channels });
  };
  return (
    <form onSubmit={onSubmit} noValidate className="grid gap-4" aria-label={t("title")}>
      <ActionError result={result} />
      {result.data ? <Alert tone="success">{result.data.bonus > 0 ? t("completed", { count: result.data.bonus }) : t("saved")}</Alert> : null}
      <div className="grid gap-4 sm:grid-cols-2">
        <TextField id="profile-name" autoComplete="name" label={t("name")} value={form.name} error={fieldError("name")} onChange={(e) => setForm({ ...form, name: e.target.value })} />
        <TextField
          id="profile-birthday"
          type="date"
          autoComplete="bday"
          label={t("birthday")}
          hint={birthdayLocked ? t("birthdayLocked") : t("birthdayHint")}
          value={form.birthday}
          readOnly={birthdayLocked}
          error={fieldError("birthday")}
          onChange={(e) => setForm({ ...form, birthday: e.target.value })}
        />
      </div>
      {categories.length > 0 ? (
        <fieldset className="flex flex-wrap gap-x-5 gap-y-2">
          <legend className="mb-1 text-sm font-semibold">{t("categories")}</legend>
          {categories.map((category) => (
            <CheckboxField key={category} id={`category-${category}`} label={category} checked={form.categories.includes(category)} onChange={(e) => setForm({ ...form, categories: toggle(form.categories, category, e.target.checked) })} />
          ))}
        </fieldset>
      ) : null}
      <fieldset className="flex flex-wrap gap-x-5 gap-y-2">
        <legend className="mb-1 text-sm font-semibold">{t("channels")}</legend>
        <CheckboxField id="channel-email" label={t("channelEmail")} checked={form.channels.includes("email")} onChange={(e) => setForm({ ...form, channels: toggle(form.channels, "email", e.target.checked) })} />
        <CheckboxField id="channel-inbox" label={t("channelInbox")} checked={form.channels.includes("inbox")} onChange={(e) => setForm({ ...form, channels: toggle(form.channels, "inbox", e.target.checked) })} />
      </fieldset>
      <div>
        <Button type="submit" disabled={isPending}>{t("save")}</Button>
      </div>
    </form>
  );
}
