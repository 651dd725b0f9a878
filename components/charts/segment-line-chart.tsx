"use client";

import { useFormatter } from "next-intl";
import { CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";

export type SegmentPoint = { month: string; members: number | null; nonMembers: number | null };

type Props = {
  data: SegmentPoint[];
  kind: "percent" | "currency";
  currency: string;
  labels: { members: string; nonMembers: string };
  title: string;
};

/** Members vs non-members over months; fed pre-aggregated figures only. */
export function SegmentLineChart({ data, kind, currency, labels, title }: Props) {
  const format = useFormatter();
  const formatValue = (value: number) =>
    kind === "percent"
      ? format.number(value, { style: "percent", maximumFractionDigits: 1 })
      : format.number(value / 100, { style: "currency", currency, maximumFractionDigits: 0 });
  return (
    <figure aria-label={title} className="h-72 w-full">
      <ResponsiveContainer width="100%" height="100%">
        <LineChart data={data} margin={{ top: 8, right: 16, bottom: 8, left: 8 }}>
          <CartesianGrid strokeDasharray="3 3" stroke="#d6d3d1" />
          <XAxis dataKey="month" tick={{ fontSize: 12, fill: "#44403c" }} minTickGap={16} />
          <YAxis tickFormatter={formatValue} tick={{ fontSize: 12, fill: "#44403c" }} width={72} />
          <Tooltip formatter={(value) => (typeof value === "number" ? formatValue(value) : "—")} />
          <Legend />
          <Line type="monotone" dataKey="members" name={labels.members} stroke="#9a3412" strokeWidth={2.5} dot={false} connectNulls isAnimationActive={false} />
          <Line type="monotone" dataKey="nonMembers" name={labels.nonMembers} stroke="#1d4ed8" strokeWidth={2.5} strokeDasharray="6 3" dot={false} connectNulls isAnimationActive={false} />
        </LineChart>
      </ResponsiveContainer>
    </figure>
  );
}
