"use client";
import { useVirtualizer } from "@tanstack/react-virtual";
import { useEffect, useMemo, useRef } from "react";
import type { TimelineRow } from "@/lib/playground/rows";
import { changedKeys, previousInScope } from "@/lib/trace/scopes";
import type { Frame } from "@/lib/trace/schema";
import { FrameCell } from "./FrameCell";

/**
 * Reality | Prediction as aligned rows, virtualised so 10,000-frame traces scroll smoothly.
 * The parent owns the cursor (a row index); clicking a row moves it.
 */
export function TimelinePane(props: {
  rows: readonly TimelineRow[];
  actual: readonly Frame[];
  predicted: readonly Frame[] | null;
  predictedLabel: string | null;
  cursor: number;
  onSelect: (row: number) => void;
  firstDivergenceRow: number | null;
}) {
  const { rows, actual, predicted, cursor, onSelect } = props;
  const parentRef = useRef<HTMLDivElement>(null);
  const twoSided = predicted !== null;
  const prevActual = useMemo(() => previousInScope(actual), [actual]);
  const prevPredicted = useMemo(() => (predicted ? previousInScope(predicted) : new Int32Array(0)), [predicted]);

  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => parentRef.current,
    estimateSize: () => 52,
    overscan: 12,
  });

  useEffect(() => {
    if (cursor >= 0 && cursor < rows.length) virtualizer.scrollToIndex(cursor, { align: "auto" });
  }, [cursor, rows.length, virtualizer]);

  return (
    <section aria-label="Timeline" className="flex h-[70vh] min-h-0 flex-1 flex-col rounded border border-slate-300 lg:h-auto dark:border-slate-700">
      <div className={`grid ${twoSided ? "grid-cols-2" : "grid-cols-1"} border-b border-slate-300 bg-slate-50 text-sm font-semibold dark:border-slate-700 dark:bg-slate-900`}>
        <div className="px-3 py-1.5">Reality (executed)</div>
        {twoSided && <div className="border-l border-slate-300 px-3 py-1.5 dark:border-slate-700">Prediction{props.predictedLabel ? ` — ${props.predictedLabel}` : ""}</div>}
      </div>
      <div ref={parentRef} className="min-h-0 flex-1 overflow-auto" data-testid="timeline" tabIndex={-1}>
        {rows.length === 0 ? (
          <p className="p-3 text-sm text-slate-500">No frames yet. Run the code (Ctrl/Cmd+Enter) to see its real trace.</p>
        ) : (
          <div style={{ height: virtualizer.getTotalSize(), position: "relative" }} role="list" aria-label="Frames">
            {virtualizer.getVirtualItems().map((item) => {
              const row = rows[item.index];
              const selected = item.index === cursor;
              const diffs = row.kind === "match" ? row.diffs : undefined;
              const divergent = item.index === props.firstDivergenceRow;
              return (
                <div
                  key={item.key}
                  ref={virtualizer.measureElement}
                  data-index={item.index}
                  data-testid="timeline-row"
                  data-row-kind={row.kind}
                  data-selected={selected ? "true" : undefined}
                  role="listitem"
                  aria-current={selected ? "step" : undefined}
                  onClick={() => onSelect(item.index)}
                  className={`absolute left-0 top-0 grid w-full cursor-pointer border-b border-slate-100 dark:border-slate-800 ${twoSided ? "grid-cols-2" : "grid-cols-1"} ${
                    selected ? "bg-yellow-100 outline outline-2 -outline-offset-2 outline-yellow-500 dark:bg-yellow-900/40" : "hover:bg-slate-50 dark:hover:bg-slate-900"
                  }`}
                  style={{ transform: `translateY(${item.start}px)` }}
                >
                  <div className="px-2 py-1">
                    {divergent && <DivergenceFlag />}
                    {row.a !== null ? (
                      <FrameCell frame={actual[row.a]} index={row.a} side="actual" diffs={diffs} valueDiffers={row.valueDiffers} changed={changedKeys(actual, prevActual, row.a)} />
                    ) : (
                      <Gap text="no real frame here (the model predicted an extra step)" />
                    )}
                  </div>
                  {twoSided && (
                    <div className="border-l border-slate-200 px-2 py-1 dark:border-slate-700">
                      {row.p !== null && predicted ? (
                        <FrameCell frame={predicted[row.p]} index={row.p} side="predicted" diffs={diffs} valueDiffers={row.valueDiffers} changed={changedKeys(predicted, prevPredicted, row.p)} />
                      ) : (
                        <Gap text="not predicted (the model skipped this step)" />
                      )}
                    </div>
                  )}
                </div>
              );
            })}
          </div>
        )}
      </div>
    </section>
  );
}

function Gap({ text }: { text: string }) {
  return (
    <div data-testid="gap" className="rounded bg-[repeating-linear-gradient(135deg,#e2e8f0_0_6px,transparent_6px_12px)] px-2 py-1 text-xs italic text-slate-600 dark:bg-[repeating-linear-gradient(135deg,#1e293b_0_6px,transparent_6px_12px)] dark:text-slate-300">
      — gap: {text}
    </div>
  );
}

function DivergenceFlag() {
  return (
    <div data-testid="first-divergence" className="mb-0.5 text-xs font-bold text-amber-800 dark:text-amber-300">
      ⚑ first divergence
    </div>
  );
}
