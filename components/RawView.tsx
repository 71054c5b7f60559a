"use client";

/** The exact prompt sent and the raw text received, special tokens visible. */
export function RawView(props: { prompt: string | null; raw: string; baseline: boolean }) {
  return (
    <details className="text-sm" data-testid="raw-view">
      <summary className="cursor-pointer font-semibold">
        {props.baseline ? "Raw baseline output (the context it read and the trace it wrote)" : "Raw model I/O (prompt and output, special tokens visible)"}
      </summary>
      <h3 className="mt-2 text-xs font-semibold uppercase text-slate-600 dark:text-slate-300">Prompt sent</h3>
      <pre
        className="font-code max-h-60 overflow-auto whitespace-pre-wrap break-all rounded bg-slate-50 p-2 text-xs dark:bg-slate-900"
        data-testid="raw-prompt"
        tabIndex={0}
      >
        {props.prompt ?? "(none yet)"}
      </pre>
      <h3 className="mt-2 text-xs font-semibold uppercase text-slate-600 dark:text-slate-300">Text received</h3>
      <pre
        className="font-code max-h-60 overflow-auto whitespace-pre-wrap break-all rounded bg-slate-50 p-2 text-xs dark:bg-slate-900"
        data-testid="raw-output"
        tabIndex={0}
      >
        {props.raw || "(nothing yet)"}
      </pre>
    </details>
  );
}
