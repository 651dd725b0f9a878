"use client";

import { useFormatter } from "next-intl";
import { CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";

export type TrendSeries = { key: string; label: string };
export type TrendRow = { label: string } & Record<string, number | string | null>;

type Props = {
  data: TrendRow[];
  series: TrendSeries[];
  kind: "percent" | "currency" | "count" | "decimal";
  currency: string;
  title: string;
};

const STYLES = [
  { stroke: "#9a3412", dash: undefined },
  { stroke: "#1d4ed8", dash: "6 3" },
  { stroke: "#44403c", dash: "2 3" },
  { stroke: "#15803d", dash: "8 2 2 2" },
];

/** Populations over calendar periods; fed aggregated figures only (the page shows the same data as a table). */
export function SegmentLineChart({ data, series, kind, currency, title }: Props) {
  const format = useFormatter();
  const formatValue = (value: number) => {
    if (kind === "percent") return format.number(value, { style: "percent", maximumFractionDigits: 1 });
    if (kind === "currency") return format.number(value / 100, { style: "currency", currency, maximumFractionDigits: 0 });
    return format.number(value, { maximumFractionDigits: kind === "decimal" ? 2 : 0 });
  };
  return (
    <figure aria-label={title} className="h-64 w-full">
      <ResponsiveContainer width="100%" height="100%">
        <LineChart data={data} margin={{ top: 8, right: 16, bottom: 8, left: 8 }}>
          <CartesianGrid strokeDasharray="3 3" stroke="#d6d3d1" />
          <XAxis dataKey="label" tick={{ fontSize: 12, fill: "#44403c" }} minTickGap={16} />
          <YAxis tickFormatter={formatValue} tick={{ fontSize: 12, fill: "#44403c" }} width={72} />
          <Tooltip formatter={(value) => (typeof value === "number" ? formatValue(value) : "—")} />
          <Legend />
          {series.map((item, index) => (
            <Line
              key={item.key}
              type="monotone"
              dataKey={item.key}
              name={item.label}
              stroke={STYLES[index % STYLES.length].stroke}
              strokeDasharray={STYLES[index % STYLES.length].dash}
              strokeWidth={2.5}
              dot={data.length <= 13}
              connectNulls
              isAnimationActive={false}
            />
          ))}
        </LineChart>
      </ResponsiveContainer>
    </figure>
  );
}
