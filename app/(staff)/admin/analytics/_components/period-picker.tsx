import { getTranslations } from "next-intl/server";
import { buttonClass } from "@/components/ui/button";
import { periodChoices, type AnalyticsPeriodQuery } from "@/lib/validations/analytics";

const control = "block min-h-11 rounded-lg border border-stone-400 bg-white px-3 py-2 text-base text-stone-900 aria-[invalid=true]:border-red-700";

/** A plain GET form: the chosen period lives in the URL, so a view can be bookmarked and shared. */
export async function PeriodPicker({ query, errors }: { query: Partial<AnalyticsPeriodQuery>; errors: Partial<Record<"from" | "to" | "period", string>> }) {
  const t = await getTranslations("admin.analytics");
  return (
    <form method="get" className="flex flex-wrap items-end gap-3" aria-label={t("periodPicker")}>
      <div className="space-y-1">
        <label htmlFor="period" className="block text-sm font-medium text-stone-800">{t("period")}</label>
        <select id="period" name="period" defaultValue={query.period ?? "month"} className={control}>
          {periodChoices.map((choice) => (
            <option key={choice} value={choice}>{t(`periods.${choice}`)}</option>
          ))}
        </select>
      </div>
      <div className="space-y-1">
        <label htmlFor="from" className="block text-sm font-medium text-stone-800">{t("from")}</label>
        <input id="from" name="from" type="date" defaultValue={query.from} className={control} aria-invalid={errors.from ? true : undefined} aria-describedby={errors.from ? "from-error" : "range-hint"} />
        {errors.from ? <p id="from-error" className="text-sm font-medium text-red-700">{errors.from}</p> : null}
      </div>
      <div className="space-y-1">
        <label htmlFor="to" className="block text-sm font-medium text-stone-800">{t("to")}</label>
        <input id="to" name="to" type="date" defaultValue={query.to} className={control} aria-invalid={errors.to ? true : undefined} aria-describedby={errors.to ? "to-error" : "range-hint"} />
        {errors.to ? <p id="to-error" className="text-sm font-medium text-red-700">{errors.to}</p> : null}
      </div>
      <button type="submit" className={buttonClass("primary")}>{t("show")}</button>
      <p id="range-hint" className="w-full text-sm text-stone-600">{t("rangeHint")}</p>
    </form>
  );
}
