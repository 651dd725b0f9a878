import Link from "next/link";
import { notFound } from "next/navigation";
import { getTranslations } from "next-intl/server";
import { Card } from "@/components/ui/card";
import { requirePermission } from "@/lib/auth/current-user";
import { can } from "@/lib/auth/permissions";
import { prisma } from "@/lib/db/prisma";
import { accountEmailKinds } from "@/lib/services/account-emails";
import { getProgram } from "@/lib/services/program";

/**
 * One email as the member gets it: the HTML in a sandboxed frame, and the plain text. Account
 * emails (join confirmation, password reset) carry a one-time link that signs whoever holds it
 * into that account: only admins may open one, and only while it waits in the outbox (no SMTP);
 * once sent by SMTP nobody reads it here.
 */
export default async function EmailPage({ params }: { params: Promise<{ id: string }> }) {
  const user = await requirePermission("manageRules");
  const id = Number((await params).id);
  if (!Number.isInteger(id) || id <= 0 || id > 2_147_483_647) notFound();
  const program = await getProgram();
  const [t, email] = await Promise.all([
    getTranslations("admin.messages"),
    prisma.emailMessage.findFirst({ where: { id, programId: program.id }, select: { toEmail: true, subject: true, text: true, html: true, locale: true, status: true, kind: true } }),
  ]);
  if (!email) notFound();
  const isAccountEmail = (accountEmailKinds as readonly string[]).includes(email.kind);
  const canRead = !isAccountEmail || (email.status === "OUTBOX" && can(user.role, "manageStaff"));
  return (
    <div className="space-y-4">
      <Link href="/admin/messages" className="text-sm font-semibold text-brand-700 underline">
        {t("back")}
      </Link>
      <h1 className="text-2xl font-bold">{email.subject}</h1>
      <p className="text-stone-700">
        {t("to")}: {email.toEmail} · {t("language")}: {email.locale} · {t(`status.${email.status}` as never)}
      </p>
      {canRead ? null : <p role="note" data-testid="email-withheld" className="rounded-lg border border-amber-300 bg-amber-50 p-3 text-sm">{t("accountEmailWithheld")}</p>}
      {canRead ? (<>
      <Card isPadded={false} className="overflow-hidden">
        {/* sandboxed: no scripts, no same-origin access */}
        <iframe title={t("htmlVersion")} srcDoc={email.html} sandbox="" className="h-[560px] w-full" />
      </Card>
      <Card>
        <h2 className="mb-2 text-lg font-semibold">{t("textVersion")}</h2>
        <pre className="whitespace-pre-wrap text-sm" data-testid="email-text">{email.text}</pre>
      </Card>
      </>) : null}
    </div>
  );
}
