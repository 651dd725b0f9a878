import Link from "next/link";
import { getTranslations } from "next-intl/server";
import { ErrorPageFrame } from "@/components/shared/error-page-frame";
import { buttonClass } from "@/components/ui/button";

export default async function NotFound() {
  const t = await getTranslations("common");
  return (
    <ErrorPageFrame>
      <h1 className="text-2xl font-bold">{t("notFoundTitle")}</h1>
      <Link href="/start" className={buttonClass("primary")}>
        {t("goHome")}
      </Link>
    </ErrorPageFrame>
  );
}
