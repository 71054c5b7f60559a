"use client";
import type { Frame } from "@/lib/trace/schema";

/** Locals at the current step: name | real | predicted (| second prediction), differences said in words and marks. */
export function LocalsPanel(props: {
  actual: Frame | null;
  predicted: Frame | null;
  showPredicted: boolean;
  /** The current real / predicted frame is a `return None` that only unwinds an exception. */
  actualUnwinding: boolean;
  predictedUnwinding: boolean;
  /** A second prediction compared with the first: its own column, each value marked against reality. */
  second?: { frame: Frame | null; unwinding: boolean } | null;
}) {
  const { actual, predicted, showPredicted } = props;
  const second = showPredicted ? (props.second ?? null) : null;
  const p2 = second?.frame ?? null;
  const names: string[] = [];
  const seen = new Set<string>();
  for (const f of [actual, predicted, p2]) {
    for (const k of Object.keys(f?.locals ?? {})) {
      if (seen.has(k)) continue;
      seen.add(k);
      names.push(k);
    }
  }
  const valueRow = actual?.value !== undefined || predicted?.value !== undefined || p2?.value !== undefined;
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
              {showPredicted && <th className="py-1 pr-2">{second ? "predicted (1st)" : "predicted"}</th>}
              {second && <th className="py-1 pr-2">predicted (2nd)</th>}
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
                second={second ? { value: p2?.locals?.[name], present: !!actual && !!p2 } : null}
              />
            ))}
            {valueRow && (
              <Row
                name={event === "exception" ? "(raised)" : unwinding ? "(leaves with the exception)" : "(returned)"}
                a={props.actualUnwinding ? "—" : actual?.value}
                p={props.predictedUnwinding ? "—" : predicted?.value}
                showPredicted={showPredicted}
                bothPresent={!!actual && !!predicted}
                second={second ? { value: second.unwinding ? "—" : p2?.value, present: !!actual && !!p2 } : null}
              />
            )}
          </tbody>
        </table>
      )}
    </section>
  );
}

function Row(props: {
  name: string;
  a: string | undefined;
  p: string | undefined;
  attrs?: Record<string, string>;
  showPredicted: boolean;
  bothPresent: boolean;
  /** The second prediction's value; `present`: both it and reality have a frame here. */
  second?: { value: string | undefined; present: boolean } | null;
}) {
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
      {props.second && <SecondCell a={a} second={props.second} missing={missing} />}
      {showPredicted && (
        <td className={`py-1 font-sans text-xs ${bad ? "font-bold text-amber-900 dark:text-amber-100" : "text-slate-600 dark:text-slate-300"}`}>{verdict}</td>
      )}
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

/** The check column speaks for the first prediction; the second's cell says its own verdict in a mark and words. */
function SecondCell({ a, second, missing }: { a: string | undefined; second: { value: string | undefined; present: boolean }; missing: React.ReactNode }) {
  const differs = second.present && second.value !== a;
  const why = !differs ? "" : a === undefined ? "only predicted" : second.value === undefined ? "not predicted" : "differs";
  return (
    <td data-testid="locals-second" className={`whitespace-pre-wrap break-all py-1 pr-2 ${differs ? "font-bold text-amber-900 dark:text-amber-100" : ""}`}>
      {differs && <span title={why}>≠ </span>}
      {second.value ?? missing}
      {differs && <span className="sr-only"> ({why})</span>}
    </td>
  );
}
