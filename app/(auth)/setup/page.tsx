import { notFound } from "next/navigation";
import { getTranslations } from "next-intl/server";
import { Alert, Card } from "@/components/ui/card";
import { isSetupToken, needsSetup } from "@/lib/services/first-run";
import { SetupForm } from "./setup-form";

export const dynamic = "force-dynamic";

export async function generateMetadata() {
  return { title: (await getTranslations("setup"))("title") };
}

/** First run: reachable only while no active admin exists, and only with the printed token. */
export default async function SetupPage({ searchParams }: { searchParams: Promise<{ token?: string }> }) {
  if (!(await needsSetup())) notFound();
  const [t, { token }] = await Promise.all([getTranslations("setup"), searchParams]);
  const timeZones = Intl.supportedValuesOf("timeZone");
  return (
    <Card className="space-y-4">
      <h1 className="text-2xl font-bold">{t("title")}</h1>
      {isSetupToken(token) && token ? (
        <>
          <p className="text-stone-700">{t("intro")}</p>
          <SetupForm token={token} timeZones={timeZones} />
        </>
      ) : (
        <Alert tone="info">{t("needToken")}</Alert>
      )}
    </Card>
  );
}
