import { getFormatter, getTranslations } from "next-intl/server";
import { Badge, Card } from "@/components/ui/card";
import { DataTable } from "@/components/ui/data-table";
import { requirePermission } from "@/lib/auth/current-user";
import { getWebhooksPage } from "@/lib/db/staff-reads";
import { getProgram } from "@/lib/services/program";
import { CreateWebhookForm, ResendButton, ToggleEndpointButton } from "./webhook-forms";

export async function generateMetadata() {
  return { title: (await getTranslations("admin.webhooks"))("title") };
}

const statusTone = { PENDING: "warning", SUCCEEDED: "positive", FAILED: "danger" } as const;

export default async function WebhooksPage() {
  await requirePermission("manageWebhooks");
  const program = await getProgram();
  const [t, format, { endpoints, deliveries }] = await Promise.all([getTranslations("admin.webhooks"), getFormatter(), getWebhooksPage(program.id)]);
  const when = (value: Date) => format.dateTime(value, { dateStyle: "short", timeStyle: "medium" });
  return (
    <div className="space-y-6">
      <div>
        <h1 className="text-2xl font-bold">{t("title")}</h1>
        <p className="max-w-3xl text-stone-700">{t("intro")}</p>
      </div>
      <Card><CreateWebhookForm /></Card>
      <section aria-labelledby="endpoints-title" className="space-y-2">
        <h2 id="endpoints-title" className="text-xl font-semibold">{t("endpoints")}</h2>
        {endpoints.length === 0 ? <p className="text-stone-700">{t("noEndpoints")}</p> : (
          <DataTable columns={[{ label: t("url") }, { label: t("description") }, { label: t("events") }, { label: t("status") }, { label: t("disable"), srOnly: true }]}>
            {endpoints.map((endpoint) => (
              <tr key={endpoint.id}>
                <td className="max-w-xs break-all p-3 font-mono text-xs">{endpoint.url}</td>
                <td className="p-3">{endpoint.description}</td>
                <td className="p-3 text-xs">{endpoint.eventTypes.length ? endpoint.eventTypes.join(", ") : t("allEvents")}</td>
                <td className="p-3"><Badge tone={endpoint.isActive ? "positive" : "neutral"}>{endpoint.isActive ? t("active") : t("disabled")}</Badge></td>
                <td className="p-3"><ToggleEndpointButton endpointId={endpoint.id} isActive={endpoint.isActive} url={endpoint.url} /></td>
              </tr>
            ))}
          </DataTable>
        )}
      </section>
      <section aria-labelledby="deliveries-title" className="space-y-2">
        <h2 id="deliveries-title" className="text-xl font-semibold">{t("deliveries")}</h2>
        {deliveries.length === 0 ? <p className="text-stone-700">{t("noDeliveries")}</p> : (
          <DataTable columns={[{ label: t("event") }, { label: t("endpoint") }, { label: t("status") }, { label: t("attempts"), align: "right" }, { label: t("lastCode") }, { label: t("nextAttempt") }, { label: t("resend"), srOnly: true }]}>
            {deliveries.map((delivery) => (
              <tr key={delivery.id}>
                <td className="p-3"><code className="text-xs">{delivery.event.type}</code><div className="text-xs text-stone-600">{when(delivery.createdAt)}</div></td>
                <td className="max-w-[14rem] break-all p-3 font-mono text-xs">{delivery.endpoint.url}</td>
                <td className="p-3"><Badge tone={statusTone[delivery.status as keyof typeof statusTone] ?? "neutral"}>{t(`deliveryStatus.${delivery.status as "PENDING"}`)}</Badge></td>
                <td className="p-3 text-right tabular-nums">{delivery.attempts}</td>
                <td className="p-3 text-xs">{delivery.lastStatusCode ?? (delivery.attempts > 0 ? `${t("noResponse")}: ${delivery.lastError ?? ""}` : "—")}</td>
                <td className="p-3 text-xs">{delivery.status === "PENDING" ? when(delivery.nextAttemptAt) : delivery.deliveredAt ? when(delivery.deliveredAt) : "—"}</td>
                <td className="p-3">{delivery.status === "PENDING" && delivery.attempts === 0 ? null : <ResendButton deliveryId={delivery.id} />}</td>
              </tr>
            ))}
          </DataTable>
        )}
      </section>
    </div>
  );
}
