import Link from "next/link";
import { getTranslations } from "next-intl/server";
import { buttonClass } from "@/components/ui/button";

export default async function NotFound() {
  const t = await getTranslations("common");
  return (
    <main className="mx-auto max-w-lg space-y-4 p-8 text-center">
      <h1 className="text-2xl font-bold">{t("notFoundTitle")}</h1>
      <Link href="/" className={buttonClass("primary")}>
        {t("goHome")}
      </Link>
    </main>
  );
}
