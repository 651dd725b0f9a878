import Link from "next/link";
import { getFormatter, getTranslations } from "next-intl/server";
import { Badge, Card } from "@/components/ui/card";
import { DataTable } from "@/components/ui/data-table";
import { requirePermission } from "@/lib/auth/current-user";
import { prisma } from "@/lib/db/prisma";
import { env } from "@/lib/env";
import { getProgram } from "@/lib/services/program";
import { MessageSettingsForm } from "./settings-form";

export async function generateMetadata() {
  return { title: (await getTranslations("admin.nav"))("messages") };
}

const statusTone = { SENT: "positive", PENDING: "info", SENDING: "info", FAILED: "danger", OUTBOX: "neutral" } as const;

export default async function MessagesPage() {
  await requirePermission("manageRules");
  const program = await getProgram();
  const [t, format, emails, counts] = await Promise.all([
    getTranslations("admin.messages"),
    getFormatter(),
    prisma.emailMessage.findMany({
      where: { programId: program.id },
      orderBy: { id: "desc" },
      take: 50,
      select: { id: true, toEmail: true, subject: true, kind: true, locale: true, status: true, createdAt: true, lastError: true },
    }),
    prisma.emailMessage.groupBy({ by: ["status"], where: { programId: program.id }, _count: { _all: true } }),
  ]);
  return (
    <div className="space-y-6">
      <div>
        <h1 className="text-2xl font-bold">{t("title")}</h1>
        <p className="text-stone-700">{t("intro")}</p>
      </div>
      <Card className="space-y-3">
        <h2 className="text-lg font-semibold">{t("settings")}</h2>
        <MessageSettingsForm expiringSoonDays={program.expiringSoonDays} />
        <p className="text-sm text-stone-700" data-testid="email-mode">{env.SMTP_URL ? t("modeSmtp") : t("modeOutbox")}</p>
        <p className="text-sm text-stone-700">
          {counts.map((row) => `${t(`status.${row.status}` as never)}: ${format.number(row._count._all)}`).join(" · ")}
        </p>
      </Card>
      <section className="space-y-2" aria-labelledby="outbox-title">
        <h2 id="outbox-title" className="text-lg font-semibold">{t("outbox")}</h2>
        {emails.length === 0 ? (
          <p className="text-stone-700">{t("empty")}</p>
        ) : (
          <DataTable columns={[{ label: t("created") }, { label: t("to") }, { label: t("subject") }, { label: t("language") }, { label: t("statusLabel") }]}>
            {emails.map((email) => (
              <tr key={email.id}>
                <td className="p-3 whitespace-nowrap">{format.dateTime(email.createdAt, { dateStyle: "medium", timeStyle: "short", timeZone: "UTC" })}</td>
                <td className="p-3">{email.toEmail}</td>
                <td className="p-3">
                  <Link href={`/admin/messages/${email.id}`} className="font-semibold text-brand-800 underline">
                    {email.subject}
                  </Link>
                </td>
                <td className="p-3">{email.locale}</td>
                <td className="p-3">
                  <Badge tone={statusTone[email.status as keyof typeof statusTone] ?? "neutral"}>{t(`status.${email.status}` as never)}</Badge>
                  {email.lastError ? <span className="block text-xs text-red-800">{email.lastError}</span> : null}
                </td>
              </tr>
            ))}
          </DataTable>
        )}
      </section>
    </div>
  );
}
