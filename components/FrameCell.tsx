"use client";
import type { VarDiff } from "@/lib/compare/diff";
import type { Frame } from "@/lib/trace/schema";

export const EVENT_LABEL: Record<Frame["event"], string> = { call: "call", line: "line", return: "return", exception: "raise" };
export const EVENT_STYLE: Record<Frame["event"], string> = {
  call: "bg-sky-100 text-sky-900 dark:bg-sky-900 dark:text-sky-100",
  line: "bg-slate-100 text-slate-800 dark:bg-slate-800 dark:text-slate-100",
  return: "bg-emerald-100 text-emerald-900 dark:bg-emerald-900 dark:text-emerald-100",
  exception: "bg-rose-100 text-rose-900 dark:bg-rose-900 dark:text-rose-100",
};

/** One frame of one trace. Values are always text nodes: a repr holding HTML shows as characters. */
export function FrameCell(props: {
  frame: Frame;
  changed?: ReadonlySet<string>;
  diffs?: readonly VarDiff[];
  valueDiffers?: boolean;
  side: "actual" | "predicted";
  /** The frame is on a line of the entry wrapper (`def main():`, `return <call>`), not the user's code. */
  wrapper: boolean;
  /** A `return None` that only unwinds an uncaught exception. */
  unwinding: boolean;
  /** Both values when the return/exception values differ, e.g. "returned value: real 14, predicted 0". */
  valueTitle?: string;
  /** A mark in words on this frame, e.g. "edited: x = 7" (the debugger's counterfactual). */
  badge?: string;
}) {
  const { frame, changed, diffs, side, valueDiffers } = props;
  const diffByName = new Map((diffs ?? []).map((d) => [d.name, d]));
  const locals = frame.locals ? Object.entries(frame.locals) : [];
  return (
    <div className="min-w-0">
      <div className="flex flex-wrap items-baseline gap-x-1.5 md:flex-nowrap">
        <span className={`shrink-0 rounded px-1 text-xs font-semibold ${EVENT_STYLE[frame.event]}`}>{EVENT_LABEL[frame.event]}</span>
        <span className="shrink-0 text-xs tabular-nums text-slate-600 dark:text-slate-300">{frame.line === null ? "L?" : `L${frame.line}`}</span>
        {props.wrapper && (
          <span className="shrink-0 rounded border border-slate-400 px-1 text-xs text-slate-700 dark:text-slate-200" title="The entry wrapper the playground adds around your code to call it">
            entry wrapper
          </span>
        )}
        {props.badge && (
          <span data-testid="frame-badge" className="shrink-0 rounded border border-violet-700 bg-violet-50 px-1 text-xs font-semibold text-violet-900 dark:border-violet-300 dark:bg-violet-950 dark:text-violet-100">
            ✎ {props.badge}
          </span>
        )}
        <code className="font-code min-w-0 basis-full whitespace-pre-wrap break-words text-sm md:basis-auto md:truncate md:whitespace-pre" title={frame.source}>
          {frame.source}
        </code>
      </div>
      {frame.invalid !== undefined && (
        <div className="ml-6 text-xs text-rose-700 dark:text-rose-300">
          ⚠ unreadable frame ({frame.invalid}): <code className="font-code break-all">{frame.raw}</code>
        </div>
      )}
      {(locals.length > 0 || frame.value !== undefined || diffByName.size > 0) && (
        <div className="font-code ml-6 flex flex-wrap gap-x-3 text-[13px] leading-5">
          {locals.map(([name, value]) => {
            const d = diffByName.get(name);
            const isChanged = changed?.has(name) ?? false;
            return (
              <span
                key={name}
                data-diff={d ? d.kind : undefined}
                title={d ? diffTitle(d) : isChanged ? "changed since the previous step" : undefined}
                className={
                  d
                    ? "rounded bg-amber-100 px-1 outline outline-1 outline-amber-600 dark:bg-amber-900"
                    : isChanged
                      ? "rounded bg-sky-50 px-1 font-bold dark:bg-sky-950"
                      : undefined
                }
              >
                {d ? "≠ " : isChanged ? "• " : ""}
                <span className="text-slate-600 dark:text-slate-300">{name}=</span>
                <span className="whitespace-pre-wrap break-all">{value}</span>
              </span>
            );
          })}
          {[...diffByName.values()]
            .filter((d) => (side === "predicted" ? d.kind === "missing" : d.kind === "extra"))
            .map((d) => (
              <span key={`gap-${d.name}`} data-diff={d.kind} title={diffTitle(d)} className="rounded px-1 text-slate-600 line-through decoration-amber-600 dark:text-slate-300">
                ∅ {d.name}
              </span>
            ))}
          {frame.value !== undefined && (
            <span
              data-diff={valueDiffers ? "different" : undefined}
              title={valueDiffers ? (props.valueTitle ?? "the real and predicted values differ") : undefined}
              className={`${frame.event === "exception" ? "text-rose-800 dark:text-rose-300" : "text-emerald-800 dark:text-emerald-300"} ${valueDiffers ? "rounded bg-amber-100 px-1 outline outline-1 outline-amber-600 dark:bg-amber-900" : ""}`}
            >
              {valueDiffers ? "≠ " : ""}
              {props.unwinding ? (
                <span className="text-slate-700 dark:text-slate-200">↯ leaves with the exception</span>
              ) : (
                <>
                  {frame.event === "exception" ? "⚠ " : "→ "}
                  <span className="whitespace-pre-wrap break-all">{frame.value}</span>
                </>
              )}
            </span>
          )}
        </div>
      )}
    </div>
  );
}

export function diffTitle(d: VarDiff): string {
  if (d.kind === "missing") return `${d.name}: real ${d.actual}, not predicted`;
  if (d.kind === "extra") return `${d.name}: predicted ${d.predicted}, not in the real run`;
  return `${d.name}: real ${d.actual}, predicted ${d.predicted}`;
}
