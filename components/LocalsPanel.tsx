"use client";
import type { Frame } from "@/lib/trace/schema";

/** Locals at the current step: name | real | predicted, differences said in words and marks. */
export function LocalsPanel(props: {
  actual: Frame | null;
  predicted: Frame | null;
  showPredicted: boolean;
  /** The current real / predicted frame is a `return None` that only unwinds an exception. */
  actualUnwinding: boolean;
  predictedUnwinding: boolean;
}) {
  const { actual, predicted, showPredicted } = props;
  const names: string[] = [];
  const seen = new Set<string>();
  for (const f of [actual, predicted]) {
    for (const k of Object.keys(f?.locals ?? {})) {
      if (seen.has(k)) continue;
      seen.add(k);
      names.push(k);
    }
  }
  const valueRow = actual?.value !== undefined || predicted?.value !== undefined;
  const event = (actual ?? predicted)?.event;
  const unwinding = (actual === null || props.actualUnwinding) && (predicted === null || props.predictedUnwinding);
  return (
    <section aria-label="Locals at this step" className="text-sm">
      <h2 className="text-xs font-semibold uppercase tracking-wide text-slate-600 dark:text-slate-300">Locals at this step</h2>
      {names.length === 0 && !valueRow ? (
        <p className="text-slate-600 dark:text-slate-300">No locals at this step.</p>
      ) : (
        <table className="font-code w-full table-fixed border-collapse self-start" data-testid="locals">
          <thead>
            <tr className="text-left font-sans text-xs uppercase tracking-wide text-slate-600 dark:text-slate-300">
              <th className="w-1/5 py-1 pr-2">name</th>
              <th className="py-1 pr-2">real</th>
              {showPredicted && <th className="py-1 pr-2">predicted</th>}
              {showPredicted && <th className="w-24 py-1">check</th>}
            </tr>
          </thead>
          <tbody>
            {names.map((name) => (
              <Row
                key={name}
                name={name}
                a={actual?.locals?.[name]}
                p={predicted?.locals?.[name]}
                attrs={actual?.attrs?.[name]}
                showPredicted={showPredicted}
                bothPresent={!!actual && !!predicted}
              />
            ))}
            {valueRow && (
              <Row
                name={event === "exception" ? "(raised)" : unwinding ? "(leaves with the exception)" : "(returned)"}
                a={props.actualUnwinding ? "—" : actual?.value}
                p={props.predictedUnwinding ? "—" : predicted?.value}
                showPredicted={showPredicted}
                bothPresent={!!actual && !!predicted}
              />
            )}
          </tbody>
        </table>
      )}
    </section>
  );
}

function Row(props: { name: string; a: string | undefined; p: string | undefined; attrs?: Record<string, string>; showPredicted: boolean; bothPresent: boolean }) {
  const { name, a, p, showPredicted, bothPresent } = props;
  let verdict = "";
  if (showPredicted && bothPresent) {
    if (a === undefined) verdict = "＋ only predicted";
    else if (p === undefined) verdict = "− not predicted";
    else verdict = a === p ? "✓ same" : "≠ differs";
  }
  const bad = verdict !== "" && verdict !== "✓ same";
  const missing = <span className="text-slate-600 dark:text-slate-300">—</span>;
  return (
    <tr className={`border-t border-slate-200 align-top dark:border-slate-800 ${bad ? "bg-amber-50 dark:bg-amber-950" : ""}`} data-testid="locals-row">
      <td className="break-all py-1 pr-2 font-semibold">{name}</td>
      <td className="whitespace-pre-wrap break-all py-1 pr-2">
        {a ?? missing}
        {props.attrs && Object.keys(props.attrs).length > 0 && <Attributes attrs={props.attrs} />}
      </td>
      {showPredicted && <td className="whitespace-pre-wrap break-all py-1 pr-2">{p ?? missing}</td>}
      {showPredicted && <td className={`py-1 font-sans text-xs ${bad ? "font-bold text-amber-900 dark:text-amber-100" : "text-slate-600 dark:text-slate-300"}`}>{verdict}</td>}
    </tr>
  );
}

/** An object's attributes, recorded by the tracer on the real side only (never compared). */
function Attributes({ attrs }: { attrs: Record<string, string> }) {
  const entries = Object.entries(attrs);
  return (
    <details className="font-sans" data-testid="object-attrs">
      <summary className="cursor-pointer text-xs text-sky-800 underline dark:text-sky-300">
        {entries.length} attribute{entries.length === 1 ? "" : "s"}
      </summary>
      <dl className="font-code ml-2 grid grid-cols-[auto_1fr] gap-x-2 text-[13px]">
        {entries.map(([k, v]) => (
          <div key={k} className="contents">
            <dt className="text-slate-600 dark:text-slate-300">.{k}</dt>
            <dd className="whitespace-pre-wrap break-all">{v}</dd>
          </div>
        ))}
      </dl>
    </details>
  );
}
