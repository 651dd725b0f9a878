"use client";

import { useTranslations } from "next-intl";
import { useState, type MouseEvent } from "react";

type State = { phase: "idle" | "running" | "done" | "failed"; rows: number; total: number | null };

/**
 * A CSV download that shows its progress: the server streams the rows and says how many will
 * come (X-Total-Rows); the rows received so far are counted as they arrive. Without JavaScript it
 * is a plain download link.
 */
export function CsvDownload({ href, label }: { href: string; label: string }) {
  const t = useTranslations("admin.analytics.download");
  const [state, setState] = useState<State>({ phase: "idle", rows: 0, total: null });

  async function start(event: MouseEvent<HTMLAnchorElement>) {
    event.preventDefault();
    if (state.phase === "running") return;
    setState({ phase: "running", rows: 0, total: null });
    try {
      const response = await fetch(href);
      if (!response.ok || !response.body) throw new Error(String(response.status));
      const total = response.headers.has("x-total-rows") ? Number(response.headers.get("x-total-rows")) : null;
      const reader = response.body.getReader();
      const chunks: BlobPart[] = [];
      let lines = 0;
      let shown = 0;
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        chunks.push(value);
        for (const byte of value) if (byte === 10) lines += 1;
        // the first line is the header
        if (lines - shown >= 500) {
          shown = lines;
          setState({ phase: "running", rows: Math.max(lines - 1, 0), total });
        }
      }
      const name = /filename="([^"]+)"/.exec(response.headers.get("content-disposition") ?? "")?.[1] ?? "export.csv";
      const url = URL.createObjectURL(new Blob(chunks, { type: "text/csv;charset=utf-8" }));
      const link = document.createElement("a");
      link.href = url;
      link.download = name;
      document.body.append(link);
      link.click();
      link.remove();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
      setState({ phase: "done", rows: Math.max(lines - 1, 0), total });
    } catch {
      setState({ phase: "failed", rows: 0, total: null });
    }
  }

  return (
    <div className="flex flex-wrap items-center gap-3">
      <a
        href={href}
        download
        onClick={start}
        aria-disabled={state.phase === "running"}
        className="inline-flex min-h-11 items-center rounded-lg border border-stone-300 bg-white px-4 text-sm font-semibold text-stone-900 hover:bg-stone-100"
      >
        {label}
      </a>
      {state.phase === "running" && state.total !== null && state.total > 0 ? (
        <progress className="h-2 w-32" max={state.total} value={Math.min(state.rows, state.total)} aria-hidden="true" />
      ) : null}
      <p role="status" aria-live="polite" className="text-sm text-stone-700" data-testid="csv-progress">
        {state.phase === "running"
          ? state.total === null ? t("runningUnknown", { rows: state.rows }) : t("running", { rows: state.rows, total: state.total })
          : state.phase === "done" ? t("done", { rows: state.rows })
          : state.phase === "failed" ? t("failed") : ""}
      </p>
    </div>
  );
}
