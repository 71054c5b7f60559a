"use client";
import { useVirtualizer } from "@tanstack/react-virtual";
import { useEffect, useMemo, useRef } from "react";
import type { RealColumnNote } from "@/lib/playground/comparison";
import type { TimelineRow } from "@/lib/playground/rows";
import type { PredictionCell } from "@/lib/playground/rows3";
import { isUnwinding } from "@/lib/playground/view";
import { changedKeys, previousInScope } from "@/lib/trace/scopes";
import type { Frame } from "@/lib/trace/schema";
import { diffTitle, FrameCell } from "./FrameCell";
import { Legend } from "./Legend";

const REAL_NOTE: Record<Exclude<RealColumnNote, null>, string> = {
  not_run: "Not run yet. Press Run (Ctrl/Cmd+Enter) to execute this code in your browser.",
  running: "Running… the first frames are on their way.",
  could_not_run: "The program could not run (see Outcome below); there is no real trace to compare.",
  earlier_code: "The real run is for earlier code, so it is not compared. Press Run for this code.",
};

export interface ColumnLabel {
  title: string;
  /** e.g. "for earlier code", "uploaded by the sharer". */
  badges: readonly string[];
}

/** A second prediction shown beside the first: one cell per row of the merged rows. */
export interface SecondColumn {
  frames: readonly Frame[];
  label: ColumnLabel;
  /** Short name for the row details ("≠ qwen…: x: real 1, predicted 2"). */
  name: string;
  cells: readonly (PredictionCell | null)[];
  firstDivergenceRow: number | null;
}

const GRID = ["grid-cols-1", "grid-cols-1", "grid-cols-2", "grid-cols-3"] as const;
const OTHER_EXTRA = "no step here: the other prediction has an extra step";

/**
 * Reality | Prediction (| a second prediction) as aligned rows, virtualised so 10,000-frame traces scroll smoothly.
 * The parent owns the cursor (a row index); clicking or tapping a row moves it.
 */
export function TimelinePane(props: {
  /** The scrolling list, focusable: the parent moves focus here after Run. */
  scrollRef?: React.RefObject<HTMLDivElement | null>;
  rows: readonly TimelineRow[];
  actual: readonly Frame[];
  predicted: readonly Frame[] | null;
  realLabel: ColumnLabel;
  predictedLabel: ColumnLabel | null;
  realNote: RealColumnNote;
  wrapperLines: ReadonlySet<number>;
  cursor: number;
  onSelect: (row: number) => void;
  firstDivergenceRow: number | null;
  /** Frame index → a mark in words, per side (the debugger's edited frame). */
  badges?: { actual: ReadonlyMap<number, string>; predicted: ReadonlyMap<number, string> };
  second?: SecondColumn | null;
}) {
  const { rows, actual, predicted, cursor, onSelect, realNote } = props;
  const ownRef = useRef<HTMLDivElement>(null);
  const parentRef = props.scrollRef ?? ownRef;
  const twoSided = predicted !== null;
  const prevActual = useMemo(() => previousInScope(actual), [actual]);
  const prevPredicted = useMemo(() => (predicted ? previousInScope(predicted) : new Int32Array(0)), [predicted]);
  const second = twoSided ? (props.second ?? null) : null;
  const secondFrames = second?.frames;
  const prevSecond = useMemo(() => (secondFrames ? previousInScope(secondFrames) : new Int32Array(0)), [secondFrames]);
  // Without a real trace to show, the reality column says why once instead of a column of gaps.
  const realColumn = realNote === null || !twoSided;
  const grid = GRID[(realColumn ? 1 : 0) + (twoSided ? 1 : 0) + (second ? 1 : 0)];

  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => parentRef.current,
    estimateSize: () => 44,
    overscan: 12,
  });

  useEffect(() => {
    if (cursor >= 0 && cursor < rows.length) virtualizer.scrollToIndex(cursor, { align: "auto" });
  }, [cursor, rows.length, virtualizer]);

  // A panel opening above (the debugger's edit form, a notice) shrinks the timeline: keep the current row in view.
  useEffect(() => {
    const el = parentRef.current;
    if (!el || typeof ResizeObserver === "undefined") return;
    let height = el.clientHeight;
    const ro = new ResizeObserver(() => {
      if (el.clientHeight === height) return;
      height = el.clientHeight;
      if (cursor >= 0 && cursor < rows.length) virtualizer.scrollToIndex(cursor, { align: "auto" });
    });
    ro.observe(el);
    return () => ro.disconnect();
  }, [cursor, rows.length, virtualizer, parentRef]);

  return (
    <section aria-label="Timeline" className="flex min-h-[60vh] flex-1 flex-col rounded border border-slate-300 md:min-h-0 dark:border-slate-700">
      {/* The legend's toggle sits in the header's right corner: it costs the timeline no row. */}
      <div
        className={`relative grid ${grid} border-b border-slate-300 bg-slate-50 text-sm dark:border-slate-700 dark:bg-slate-900 ${second ? "pt-8 md:pt-0" : ""}`}
      >
        {realColumn && <ColumnHeader label={props.realLabel} last={!props.predictedLabel} wrap={!!second} />}
        {props.predictedLabel && (
          <div className={realColumn ? "border-l border-slate-300 dark:border-slate-700" : ""}>
            <ColumnHeader label={props.predictedLabel} last={!second} wrap={!!second} />
          </div>
        )}
        {second && (
          <div className="border-l border-slate-300 dark:border-slate-700" data-testid="second-column-header">
            <ColumnHeader label={second.label} last wrap />
          </div>
        )}
        <Legend />
      </div>
      {realNote !== null && twoSided && (
        <p data-testid="real-note" className="border-b border-slate-200 px-3 py-1.5 text-sm text-slate-700 dark:border-slate-800 dark:text-slate-200">
          <strong>Reality:</strong> {REAL_NOTE[realNote]}
        </p>
      )}
      <div
        ref={parentRef}
        className="min-h-0 flex-1 overflow-auto focus-visible:outline focus-visible:outline-2 focus-visible:-outline-offset-2 focus-visible:outline-sky-600"
        data-testid="timeline"
        tabIndex={0}
        aria-label="Frames. Arrow keys step, Home and End jump, D jumps to the first divergence."
      >
        {rows.length === 0 ? (
          <p className="p-3 text-sm text-slate-700 dark:text-slate-200">
            {realNote && realNote !== "not_run"
              ? REAL_NOTE[realNote]
              : "No frames yet. Run the code (Ctrl/Cmd+Enter) to see its real trace, or Predict to see what the predictor imagines."}
          </p>
        ) : (
          <div style={{ height: virtualizer.getTotalSize(), position: "relative" }} role="list" aria-label="Steps">
            {virtualizer.getVirtualItems().map((item) => {
              const row = rows[item.index];
              const selected = item.index === cursor;
              const diffs = row.kind === "match" ? row.diffs : undefined;
              const divergent = item.index === props.firstDivergenceRow;
              const a = row.a !== null ? actual[row.a] : null;
              const pf = row.p !== null && predicted ? predicted[row.p] : null;
              const valueTitle =
                row.valueDiffers && a && pf
                  ? `${a.event === "exception" ? "raised" : "returned"} value: real ${a.value ?? "—"}, predicted ${pf.value ?? "—"}`
                  : undefined;
              const cell2 = second ? (second.cells[item.index] ?? null) : null;
              const f2 = cell2 && second ? (second.frames[cell2.p] ?? null) : null;
              const diffs2 = cell2?.matched ? cell2.diffs : undefined;
              const valueTitle2 =
                cell2?.valueDiffers && a && f2
                  ? `${a.event === "exception" ? "raised" : "returned"} value: real ${a.value ?? "—"}, predicted ${f2.value ?? "—"}`
                  : undefined;
              // What a hover shows is also on screen for the selected row, so a tap reaches it.
              const details = selected
                ? [
                    ...(diffs ?? []).map(diffTitle),
                    ...(valueTitle ? [valueTitle] : []),
                    ...[...(diffs2 ?? []).map(diffTitle), ...(valueTitle2 ? [valueTitle2] : [])].map((d) => `${second!.name}: ${d}`),
                  ]
                : [];
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
                  className={`absolute left-0 top-0 grid w-full cursor-pointer border-b border-slate-100 dark:border-slate-800 ${grid} ${
                    selected
                      ? "bg-yellow-100 outline outline-2 -outline-offset-2 outline-yellow-600 dark:bg-yellow-900/40"
                      : "hover:bg-slate-50 dark:hover:bg-slate-900"
                  }`}
                  style={{ transform: `translateY(${item.start}px)` }}
                >
                  {realColumn && (
                    <div className="px-2 py-0.5">
                      {divergent && <DivergenceFlag />}
                      {row.a !== null ? (
                        <FrameCell
                          frame={actual[row.a]}
                          side="actual"
                          diffs={diffs}
                          valueDiffers={row.valueDiffers}
                          changed={changedKeys(actual, prevActual, row.a)}
                          wrapper={actual[row.a].line !== null && props.wrapperLines.has(actual[row.a].line!)}
                          unwinding={isUnwinding(actual, row.a)}
                          valueTitle={valueTitle}
                          badge={props.badges?.actual.get(row.a)}
                        />
                      ) : (
                        <Gap text={second ? "no real step here: a prediction has an extra step" : "no real step here: the prediction has an extra step"} />
                      )}
                    </div>
                  )}
                  {twoSided && (
                    <div className={`px-2 py-0.5 ${realColumn ? "border-l border-slate-200 dark:border-slate-700" : ""}`}>
                      {!realColumn && divergent && <DivergenceFlag />}
                      {row.p !== null && predicted ? (
                        <FrameCell
                          frame={predicted[row.p]}
                          side="predicted"
                          diffs={diffs}
                          valueDiffers={row.valueDiffers}
                          changed={changedKeys(predicted, prevPredicted, row.p)}
                          wrapper={predicted[row.p].line !== null && props.wrapperLines.has(predicted[row.p].line!)}
                          unwinding={isUnwinding(predicted, row.p)}
                          valueTitle={valueTitle}
                          badge={props.badges?.predicted.get(row.p)}
                        />
                      ) : (
                        <Gap text={row.a === null ? OTHER_EXTRA : "not predicted: the prediction skipped this step"} />
                      )}
                    </div>
                  )}
                  {second && (
                    <div className="border-l border-slate-200 px-2 py-0.5 dark:border-slate-700" data-testid="second-cell">
                      {item.index === second.firstDivergenceRow && <DivergenceFlag testId="first-divergence-second" />}
                      {cell2 && f2 ? (
                        <FrameCell
                          frame={f2}
                          side="predicted"
                          diffs={diffs2}
                          valueDiffers={cell2.valueDiffers}
                          changed={changedKeys(second.frames, prevSecond, cell2.p)}
                          wrapper={f2.line !== null && props.wrapperLines.has(f2.line)}
                          unwinding={isUnwinding(second.frames, cell2.p)}
                          valueTitle={valueTitle2}
                        />
                      ) : (
                        <Gap text={row.a === null ? OTHER_EXTRA : "not predicted: the prediction skipped this step"} />
                      )}
                    </div>
                  )}
                  {details.length > 0 && (
                    <ul
                      data-testid="row-details"
                      className="font-code col-span-full border-t border-amber-600 px-2 py-0.5 text-[13px] text-amber-950 dark:text-amber-50"
                    >
                      {details.map((d) => (
                        <li key={d}>≠ {d}</li>
                      ))}
                    </ul>
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

/** `wrap`: three narrow columns on a phone show their whole titles, wrapped, under the legend's toggle. */
function ColumnHeader({ label, last, wrap = false }: { label: ColumnLabel; last: boolean; wrap?: boolean }) {
  const pad = last ? (wrap ? "pr-3 md:pr-24" : "pr-24") : "pr-3";
  return (
    <div className={`flex min-w-0 items-baseline gap-x-2 py-1 pl-3 ${wrap ? "flex-wrap md:flex-nowrap" : ""} ${pad}`}>
      <span className={`min-w-0 font-semibold ${wrap ? "break-words md:truncate" : "truncate"}`} title={label.title}>
        {label.title}
      </span>
      {label.badges.map((b) => (
        <span
          key={b}
          data-testid="column-badge"
          className="shrink-0 rounded border border-amber-600 bg-amber-50 px-1 text-xs font-semibold text-amber-900 dark:bg-amber-950 dark:text-amber-100"
        >
          {b}
        </span>
      ))}
    </div>
  );
}

function Gap({ text }: { text: string }) {
  return (
    <div
      data-testid="gap"
      className="rounded bg-[repeating-linear-gradient(135deg,#e2e8f0_0_6px,transparent_6px_12px)] px-2 py-0.5 text-xs italic text-slate-700 dark:bg-[repeating-linear-gradient(135deg,#1e293b_0_6px,transparent_6px_12px)] dark:text-slate-200"
    >
      — gap: {text}
    </div>
  );
}

function DivergenceFlag({ testId = "first-divergence" }: { testId?: string }) {
  return (
    <div data-testid={testId} className="text-xs font-bold text-amber-900 dark:text-amber-200">
      ⚑ first divergence
    </div>
  );
}
