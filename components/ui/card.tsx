import type { HTMLAttributes } from "react";

export function Card({ className = "", isPadded = true, ...props }: HTMLAttributes<HTMLElement> & { isPadded?: boolean }) {
  return <section className={`rounded-xl border border-stone-200 bg-white shadow-sm ${isPadded ? "p-5" : ""} ${className}`} {...props} />;
}

export function Alert({ tone = "error", className = "", ...props }: HTMLAttributes<HTMLDivElement> & { tone?: "error" | "success" | "info" }) {
  const tones = {
    error: "border-red-300 bg-red-50 text-red-900",
    success: "border-green-300 bg-green-50 text-green-900",
    info: "border-sky-300 bg-sky-50 text-sky-900",
  };
  return <div role={tone === "error" ? "alert" : "status"} className={`rounded-lg border px-4 py-3 text-sm ${tones[tone]} ${className}`} {...props} />;
}

export function Badge({ tone = "neutral", className = "", ...props }: HTMLAttributes<HTMLSpanElement> & { tone?: "neutral" | "positive" | "warning" | "danger" | "info" }) {
  const tones = {
    neutral: "bg-stone-200 text-stone-800",
    positive: "bg-green-100 text-green-900",
    warning: "bg-amber-100 text-amber-900",
    danger: "bg-red-100 text-red-900",
    info: "bg-sky-100 text-sky-900",
  };
  return <span className={`inline-flex items-center rounded-full px-2.5 py-0.5 text-xs font-semibold ${tones[tone]} ${className}`} {...props} />;
}
