import type { ReactNode } from "react";
import { Card } from "./card";

export type Column = { label: ReactNode; align?: "left" | "right"; srOnly?: boolean };

/** A bordered, horizontally scrollable table with a labelled header row. */
export function DataTable({ columns, children }: { columns: Column[]; children: ReactNode }) {
  return (
    <Card isPadded={false} className="overflow-x-auto">
      <table className="w-full text-left text-sm">
        <thead className="bg-stone-100 text-stone-700">
          <tr>
            {columns.map((column, index) => (
              <th key={index} scope="col" className={`p-3 ${column.align === "right" ? "text-right" : ""}`}>
                {column.srOnly ? <span className="sr-only">{column.label}</span> : column.label}
              </th>
            ))}
          </tr>
        </thead>
        <tbody className="divide-y divide-stone-200">{children}</tbody>
      </table>
    </Card>
  );
}
