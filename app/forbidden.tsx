import Link from "next/link";
import { getTranslations } from "next-intl/server";
import { ErrorPageFrame } from "@/components/shared/error-page-frame";
import { buttonClass } from "@/components/ui/button";

export default async function Forbidden() {
  const t = await getTranslations("common");
  return (
    <ErrorPageFrame>
      <h1 className="text-2xl font-bold">{t("forbiddenTitle")}</h1>
      <p>{t("forbiddenBody")}</p>
      <Link href="/start" className={buttonClass("primary")}>
        {t("goHome")}
      </Link>
    </ErrorPageFrame>
  );
}
