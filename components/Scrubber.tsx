"use client";

/** One scrubber drives every pane: the cursor is a step (a row of the aligned timeline). */
export function Scrubber(props: {
  cursor: number;
  count: number;
  onMove: (row: number) => void;
  firstDivergenceRow: number | null;
  /** What a screen reader hears when the step changes, e.g. "Step 3 of 9: line 4, s += n". */
  announcement: string;
}) {
  const { cursor, count, onMove } = props;
  const last = Math.max(0, count - 1);
  // 44×44 CSS px: a finger on a phone, and easy to hit on a projector's remote mouse.
  const btn = "min-h-11 min-w-11 rounded border border-slate-400 px-2 text-base disabled:opacity-40 dark:border-slate-500";
  return (
    <div className="flex flex-wrap items-center gap-2" role="group" aria-label="Step through the trace">
      <button type="button" className={btn} aria-label="First step" disabled={count === 0 || cursor <= 0} onClick={() => onMove(0)}>
        |◀
      </button>
      <button type="button" className={btn} aria-label="Previous step" disabled={count === 0 || cursor <= 0} onClick={() => onMove(cursor - 1)}>
        ◀
      </button>
      <button type="button" className={btn} aria-label="Next step" disabled={count === 0 || cursor >= last} onClick={() => onMove(cursor + 1)}>
        ▶
      </button>
      <button type="button" className={btn} aria-label="Last step" disabled={count === 0 || cursor >= last} onClick={() => onMove(last)}>
        ▶|
      </button>
      <input
        type="range"
        aria-label="Step"
        aria-valuetext={count === 0 ? "no steps" : `step ${cursor + 1} of ${count}`}
        className="min-h-11 min-w-[120px] flex-1"
        min={0}
        max={last}
        value={Math.min(cursor, last)}
        disabled={count === 0}
        onChange={(e) => onMove(Number(e.target.value))}
      />
      <span className="text-sm tabular-nums" data-testid="frame-caption">
        {count === 0 ? "no steps" : `Step ${(cursor + 1).toLocaleString("en-US")} of ${count.toLocaleString("en-US")}`}
      </span>
      {props.firstDivergenceRow !== null && (
        <button
          type="button"
          className="min-h-11 rounded border border-amber-600 bg-amber-50 px-2 text-sm font-semibold text-amber-900 dark:bg-amber-950 dark:text-amber-100"
          onClick={() => onMove(props.firstDivergenceRow!)}
          title="Keyboard: D"
        >
          ⚑ Jump to first divergence (step {props.firstDivergenceRow + 1})
        </button>
      )}
      <span className="sr-only" aria-live="polite" data-testid="step-announcement">
        {props.announcement}
      </span>
    </div>
  );
}
