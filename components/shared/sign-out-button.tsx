import { getTranslations } from "next-intl/server";
import { Button } from "@/components/ui/button";
import { logOutAction } from "@/lib/actions/log-out";

export async function SignOutButton() {
  const t = await getTranslations("common");
  return (
    <form action={logOutAction}>
      <Button type="submit" variant="secondary">
        {t("signOut")}
      </Button>
    </form>
  );
}
