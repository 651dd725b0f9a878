import { getFormatter, getTranslations } from "next-intl/server";
import { Card } from "@/components/ui/card";
import { DataTable } from "@/components/ui/data-table";
import { requirePermission } from "@/lib/auth/current-user";
import { listApiKeys } from "@/lib/db/staff-reads";
import { getProgram } from "@/lib/services/program";
import { CreateApiKeyForm, RevokeApiKeyButton } from "./api-key-forms";

export async function generateMetadata() {
  return { title: (await getTranslations("admin.apiKeys"))("title") };
}

export default async function ApiKeysPage() {
  await requirePermission("manageApiKeys");
  const program = await getProgram();
  const [t, format, keys] = await Promise.all([getTranslations("admin.apiKeys"), getFormatter(), listApiKeys(program.id)]);
  return (
    <div className="space-y-4">
      <h1 className="text-2xl font-bold">{t("title")}</h1>
      <p className="max-w-3xl text-stone-700">{t("intro")}</p>
      <Card><CreateApiKeyForm /></Card>
      <DataTable
        columns={[{ label: t("name") }, { label: t("prefix") }, { label: t("createdAt") }, { label: t("createdBy") }, { label: t("status") }, { label: t("revoke"), srOnly: true }]}
      >
            {keys.map((key) => (
              <tr key={key.id}>
                <td className="p-3 font-medium">{key.name}</td>
                <td className="p-3 font-mono text-xs">{key.prefix}…</td>
                <td className="p-3">{format.dateTime(key.createdAt, { dateStyle: "medium" })}</td>
                <td className="p-3">{key.createdBy?.email ?? "—"}</td>
                <td className="p-3">{key.revokedAt ? t("revoked", { date: format.dateTime(key.revokedAt, { dateStyle: "medium" }) }) : t("active")}</td>
                <td className="p-3">{key.revokedAt ? null : <RevokeApiKeyButton apiKeyId={key.id} name={key.name} />}</td>
              </tr>
            ))}
      </DataTable>
    </div>
  );
}
