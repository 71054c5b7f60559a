"use client";
import type { Frame } from "@/lib/trace/schema";
import { EVENT_LABEL, EVENT_STYLE } from "./FrameCell";

const EVENTS: ReadonlyArray<{ event: Frame["event"]; text: string }> = [
  { event: "call", text: "a function is entered (its arguments are the locals)" },
  { event: "line", text: "a line is about to run" },
  { event: "return", text: "a function returns (→ the value)" },
  { event: "exception", text: "an exception is raised or passes through (⚠ the exception)" },
];

/** What every mark of the timeline means; differences are never told by colour alone. */
export function Legend() {
  return (
    <details className="absolute right-0 top-0 text-sm" data-testid="legend">
      <summary className="cursor-pointer px-2 py-1 font-semibold" aria-label="Legend: how to read a row">
        Legend
      </summary>
      <ul className="absolute right-0 z-30 mt-1 grid w-[min(92vw,44rem)] gap-x-6 gap-y-0.5 rounded border border-slate-300 bg-white p-3 font-normal shadow-lg md:grid-cols-2 dark:border-slate-600 dark:bg-slate-900">
        <li>
          A row shows the state <strong>before</strong> its line runs; the change it makes shows on the next row.
        </li>
        <li>
          <span className="font-code font-bold">• x=1</span> changed since the previous step of the same function
        </li>
        <li>
          <span className="font-code rounded bg-amber-100 px-1 outline outline-1 outline-amber-600 dark:bg-amber-900">≠ x=1</span> the real and predicted values differ (hover
          or select the row: both values show under Locals)
        </li>
        <li>
          <span className="font-code">∅ x</span> a variable one side has and the other lacks
        </li>
        <li>
          <span className="italic">— gap:</span> one side has no step here (the alignment lines up the rest)
        </li>
        <li>
          <span className="rounded border border-slate-400 px-1 text-xs">entry wrapper</span> the lines the playground adds to call your code
        </li>
        {EVENTS.map((e) => (
          <li key={e.event}>
            <span className={`rounded px-1 text-xs font-semibold ${EVENT_STYLE[e.event]}`}>{EVENT_LABEL[e.event]}</span> {e.text}
          </li>
        ))}
      </ul>
    </details>
  );
}
