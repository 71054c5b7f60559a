"use client";

/** Shown when a CWM predictor is chosen but not configured: how to connect it, in full. */
export function ConnectHelp(props: { label: string; envLines: readonly string[] }) {
  return (
    <div role="note" data-testid="connect-help" className="rounded border border-sky-400 bg-sky-50 p-3 text-sm dark:bg-sky-950">
      <p className="font-semibold">{props.label} is not connected.</p>
      <p>
        CWM needs a GPU server (vLLM or Fastgen). Set these environment variables for the playground server and restart it
        (see the README section “Connect a CWM server”):
      </p>
      <pre className="font-code mt-1 whitespace-pre-wrap rounded bg-white p-2 text-xs dark:bg-slate-900">{props.envLines.join("\n")}</pre>
      <p className="mt-1">Meanwhile the syntax-only baseline (not a model) works without a GPU.</p>
    </div>
  );
}
