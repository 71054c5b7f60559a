"use client";

/** One scrubber drives every pane: the cursor is a row of the aligned timeline. */
export function Scrubber(props: {
  cursor: number;
  count: number;
  onMove: (row: number) => void;
  firstDivergenceRow: number | null;
  /** Frame numbers of the current row on each side, for the caption. */
  caption: string;
}) {
  const { cursor, count, onMove } = props;
  const last = Math.max(0, count - 1);
  const btn = "rounded border border-slate-300 px-2 py-1 text-base disabled:opacity-40 dark:border-slate-600";
  return (
    <div className="flex flex-wrap items-center gap-2" role="group" aria-label="Step through the trace">
      <button type="button" className={btn} aria-label="First frame" disabled={count === 0 || cursor <= 0} onClick={() => onMove(0)}>
        |◀
      </button>
      <button type="button" className={btn} aria-label="Previous frame" disabled={count === 0 || cursor <= 0} onClick={() => onMove(cursor - 1)}>
        ◀
      </button>
      <button type="button" className={btn} aria-label="Next frame" disabled={count === 0 || cursor >= last} onClick={() => onMove(cursor + 1)}>
        ▶
      </button>
      <button type="button" className={btn} aria-label="Last frame" disabled={count === 0 || cursor >= last} onClick={() => onMove(last)}>
        ▶|
      </button>
      <input
        type="range"
        aria-label="Frame slider"
        className="min-w-[160px] flex-1"
        min={0}
        max={last}
        value={Math.min(cursor, last)}
        disabled={count === 0}
        onChange={(e) => onMove(Number(e.target.value))}
      />
      <span className="text-sm tabular-nums" data-testid="frame-caption">
        {count === 0 ? "no frames" : props.caption}
      </span>
      {props.firstDivergenceRow !== null && (
        <button
          type="button"
          className="rounded border border-amber-500 bg-amber-50 px-2 py-1 text-sm font-semibold text-amber-900 dark:bg-amber-950 dark:text-amber-200"
          onClick={() => onMove(props.firstDivergenceRow!)}
          title="Keyboard: D"
        >
          ⚑ Jump to first divergence (row {props.firstDivergenceRow + 1})
        </button>
      )}
    </div>
  );
}
