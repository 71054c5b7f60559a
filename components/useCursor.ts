"use client";
import { useCallback, useState } from "react";
import { frameAtOrBefore, type TimelineRow } from "@/lib/playground/rows";
import type { Frame } from "@/lib/trace/schema";
import { useKeyboardNavigation } from "./useKeyboardNavigation";

/** The one current row that drives the scrubber, both timelines, the editor marks and the locals. */
export function useCursor(rows: readonly TimelineRow[], actual: readonly Frame[], predicted: readonly Frame[], firstDivergenceRow: number | null) {
  const [cursor, setCursor] = useState(0);
  const clamped = Math.min(cursor, Math.max(0, rows.length - 1));
  const reset = useCallback(() => setCursor(0), []);
  const move = useCallback((to: number) => setCursor(Math.max(0, Math.min(to, rows.length - 1))), [rows.length]);

  useKeyboardNavigation({
    move: (d) => move(clamped + d),
    first: () => move(0),
    last: () => move(rows.length - 1),
    divergence: () => firstDivergenceRow !== null && move(firstDivergenceRow),
  });

  const row = rows[clamped];
  const aIdx = row ? frameAtOrBefore(rows, clamped, "a") : null;
  const pIdx = row ? frameAtOrBefore(rows, clamped, "p") : null;
  return {
    cursor: clamped,
    move,
    reset,
    actualFrame: row && row.a !== null ? (actual[row.a] ?? null) : null,
    predictedFrame: row && row.p !== null ? (predicted[row.p] ?? null) : null,
    marks: {
      actual: aIdx !== null ? (actual[aIdx]?.line ?? null) : null,
      predicted: pIdx !== null ? (predicted[pIdx]?.line ?? null) : null,
    },
    caption: row ? `row ${clamped + 1} / ${rows.length} · real frame ${row.a ?? "—"} · predicted frame ${row.p ?? "—"}` : "no frames",
  };
}
