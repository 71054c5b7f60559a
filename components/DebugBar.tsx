"use client";
import { useEffect, useEffectEvent, useState } from "react";
import type { Verb } from "@/lib/debugger/engine";
import { editBadge, type DebugSession } from "@/lib/playground/debug";

// 44×44 CSS px at least: fingers and projector remotes.
const BTN = "min-h-11 min-w-11 rounded border border-slate-500 px-2 font-semibold disabled:opacity-40 dark:border-slate-400";
const FIELD = "font-code min-h-11 rounded border border-slate-400 bg-white px-2 dark:border-slate-500 dark:bg-slate-900";

const VERBS: ReadonlyArray<{ verb: "step" | "next" | "out" | "back" | "continue"; key: string; label: string; tip: string }> = [
  { verb: "step", key: "s", label: "Step", tip: "Step (s): one frame; after a call, into the function" },
  { verb: "next", key: "n", label: "Next", tip: "Next (n): one line; a call is stepped over (the model predicts its return value without tracing it)" },
  { verb: "out", key: "o", label: "Out", tip: "Out (o): to the return of the current function" },
  { verb: "back", key: "b", label: "Back", tip: "Back (b): drop the last frame on both sides (no request)" },
  { verb: "continue", key: "c", label: "Continue", tip: "Continue (c): to the end of the model's trace" },
];

/** Keys as in cwmdbg, while focus is not in the editor or a field. */
function useDebugKeys(enabled: boolean, onVerb: (v: Verb) => void) {
  const onKey = useEffectEvent((e: KeyboardEvent) => {
    if (!enabled || e.altKey || e.ctrlKey || e.metaKey) return;
    const t = e.target as HTMLElement | null;
    if (t && (t.closest(".monaco-editor") || ["INPUT", "TEXTAREA", "SELECT"].includes(t.tagName) || t.isContentEditable)) return;
    const v = VERBS.find((x) => x.key === e.key);
    if (!v) return;
    e.preventDefault();
    onVerb({ verb: v.verb });
  });
  useEffect(() => {
    const listener = (e: KeyboardEvent) => onKey(e);
    window.addEventListener("keydown", listener);
    return () => window.removeEventListener("keydown", listener);
  }, []);
}

function phaseText(d: DebugSession, realRunning: boolean): string {
  const n = d.state.frames.length;
  const where = `${n} model frame${n === 1 ? "" : "s"} after the entry`;
  switch (d.phase.phase) {
    case "stepping":
      return `${d.phase.verb}… asking the model (${where} so far)`;
    case "editing":
      return `re-running reality with ${d.phase.name} = ${d.phase.value} at frame ${d.phase.at}…`;
    case "failed":
      return `the last command failed (${where} kept)`;
    case "idle":
      if (realRunning) return "reality is running…";
      return d.state.done ? `the model ended its trace (${where})` : `paused: ${where}`;
  }
}

/**
 * The debugger bar: cwmdbg's verbs, continue to a line, edit a value at the current frame, and
 * the way back to the unedited run. The session itself lives in the reducer (lib/playground/debug.ts).
 */
export function DebugBar(props: {
  debug: DebugSession;
  /** Reality is (re-)running: the verbs wait for its trace, which they pair frames with. */
  realRunning: boolean;
  /** The editor no longer holds the debugged code. */
  stale: boolean;
  onVerb: (v: Verb) => void;
  onStop: () => void;
  onEdit: (name: string, value: string) => string | null;
  onRestore: () => void;
  onBreakpoint: (line: number | null) => void;
  onDismiss: () => void;
  onEnd: () => void;
}) {
  const { debug: d } = props;
  const busy = d.phase.phase === "stepping" || d.phase.phase === "editing";
  const ready = !busy && !props.realRunning && !props.stale;
  const [editing, setEditing] = useState(false);
  const [name, setName] = useState("");
  const [value, setValue] = useState("");
  const [editError, setEditError] = useState<string | null>(null);
  useDebugKeys(ready, props.onVerb);

  const canForward = ready && !d.state.done;
  const disabled = (v: (typeof VERBS)[number]["verb"]) => (v === "back" ? !ready || d.state.frames.length === 0 : !canForward);
  const submitEdit = (e: React.FormEvent) => {
    e.preventDefault();
    const why = props.onEdit(name, value);
    setEditError(why);
    if (why === null) setEditing(false);
  };
  const badge = d.edit ? editBadge(d.edit) : null;
  const failure = d.phase.phase === "failed" ? d.phase.message : null;

  return (
    <section aria-label="Debugger" data-testid="debug-bar" className="flex flex-col gap-1 rounded border border-violet-700 p-2 dark:border-violet-300">
      <div className="flex flex-wrap items-center gap-2">
        <h2 className="text-sm font-bold">Neural debugger</h2>
        {VERBS.map((v) => (
          <button
            key={v.verb}
            type="button"
            className={BTN}
            title={v.tip}
            aria-keyshortcuts={v.key}
            disabled={disabled(v.verb)}
            onClick={() => props.onVerb({ verb: v.verb })}
          >
            {v.label} <span className="font-normal">({v.key})</span>
          </button>
        ))}
        <label className="flex items-center gap-1 text-sm">
          <span>Line</span>
          <input
            aria-label="Breakpoint line"
            title="Continue to line stops at the first predicted frame on this line (or click a line number in the editor)"
            className={`${FIELD} w-20`}
            type="number"
            min={1}
            value={d.breakpoint ?? ""}
            onChange={(e) => props.onBreakpoint(e.target.value === "" ? null : Math.max(1, Math.floor(Number(e.target.value))))}
          />
        </label>
        <button
          type="button"
          className={BTN}
          title="Continue to line: run the model until its trace reaches the breakpoint line"
          disabled={!canForward || d.breakpoint === null}
          onClick={() => d.breakpoint !== null && props.onVerb({ verb: "continue", line: d.breakpoint })}
        >
          Continue to line
        </button>
        <button
          type="button"
          className={BTN}
          title="Reset: back to the entry frame on both sides"
          disabled={!ready}
          onClick={() => props.onVerb({ verb: "reset" })}
        >
          Reset
        </button>
        <button
          type="button"
          className={BTN}
          title="Stop the request in flight; the frames so far are kept"
          disabled={d.phase.phase !== "stepping"}
          onClick={props.onStop}
        >
          Stop
        </button>
        <button
          type="button"
          className={BTN}
          aria-expanded={editing}
          title="Edit value…: set a local to a Python literal at the current frame; reality re-runs with it and both continue from there"
          disabled={!ready || d.unedited !== null}
          onClick={() => {
            setEditing((x) => !x);
            setEditError(null);
          }}
        >
          Edit value…
        </button>
        {d.unedited && (
          <button type="button" className={BTN} title="Restore both sides as they were before the edit" disabled={busy} onClick={props.onRestore}>
            Back to the unedited run
          </button>
        )}
        <button
          type="button"
          className={`${BTN} ml-auto`}
          title="Leave the debugger (the timelines go back to Run and Predict)"
          disabled={busy}
          onClick={props.onEnd}
        >
          End debugging
        </button>
      </div>
      {editing && (
        <form className="flex flex-wrap items-center gap-2 text-sm" onSubmit={submitEdit} aria-label="Edit a value at the current frame">
          <label className="flex items-center gap-1">
            <span>Name</span>
            <input aria-label="Variable name" className={`${FIELD} w-32`} value={name} onChange={(e) => setName(e.target.value)} spellCheck={false} />
          </label>
          <label className="flex items-center gap-1">
            <span>Value</span>
            <input
              aria-label="New value (a Python literal)"
              placeholder="e.g. 7 or [1, 2]"
              className={`${FIELD} w-48`}
              value={value}
              onChange={(e) => setValue(e.target.value)}
              spellCheck={false}
            />
          </label>
          <button type="submit" className={BTN} title="Set the value on both sides and continue from it">
            Set
          </button>
          <button type="button" className={BTN} onClick={() => setEditing(false)}>
            Cancel
          </button>
          {editError && (
            <p role="alert" className="basis-full font-semibold text-rose-800 dark:text-rose-200" data-testid="edit-error">
              {editError}
            </p>
          )}
        </form>
      )}
      <p className="text-sm" role="status" aria-live="polite" data-testid="debug-status">
        {phaseText(d, props.realRunning)}
        {badge ? ` · ${badge.predicted}` : ""}
        {d.provenance ? ` · answered by ${d.provenance.label}${d.provenance.model ? ` · ${d.provenance.model}` : ""}` : ""}
      </p>
      {props.stale && <p className="text-sm font-semibold">The code changed since this session started: press Debug again to debug the new code.</p>}
      {d.state.note && <p className="text-sm">ℹ {d.state.note}</p>}
      {d.message && (
        <p className="flex flex-wrap items-center gap-2 text-sm" data-testid="debug-message">
          ℹ {d.message}
          <button type="button" className="min-h-11 px-2 underline" onClick={props.onDismiss}>
            Dismiss
          </button>
        </p>
      )}
      {failure && (
        <p role="alert" className="flex flex-wrap items-center gap-2 text-sm font-semibold text-rose-800 dark:text-rose-200" data-testid="debug-error">
          ⚠ {failure}
          <button type="button" className="min-h-11 px-2 underline" onClick={props.onDismiss}>
            Dismiss
          </button>
        </p>
      )}
    </section>
  );
}
