"use client";
import type { Frame } from "@/lib/trace/schema";

/** Locals at the current row: name | real | predicted, differences said in words and marks. */
export function LocalsPanel(props: { actual: Frame | null; predicted: Frame | null; showPredicted: boolean }) {
  const { actual, predicted, showPredicted } = props;
  const names: string[] = [];
  const seen = new Set<string>();
  for (const f of [actual, predicted]) for (const k of Object.keys(f?.locals ?? {})) if (!seen.has(k)) (seen.add(k), names.push(k));
  const valueRow = actual?.value !== undefined || predicted?.value !== undefined;
  if (names.length === 0 && !valueRow) {
    return <p className="text-sm text-slate-500">No locals at this step.</p>;
  }
  return (
    <table className="font-code w-full table-fixed border-collapse self-start text-sm" aria-label="Locals at this step">
      <thead>
        <tr className="text-left font-sans text-xs uppercase tracking-wide text-slate-500">
          <th className="w-1/5 py-1 pr-2">name</th>
          <th className="py-1 pr-2">real</th>
          {showPredicted && <th className="py-1 pr-2">predicted</th>}
          {showPredicted && <th className="w-24 py-1">check</th>}
        </tr>
      </thead>
      <tbody>
        {names.map((name) => {
          const a = actual?.locals?.[name];
          const p = predicted?.locals?.[name];
          return <Row key={name} name={name} a={a} p={p} showPredicted={showPredicted} bothPresent={!!actual && !!predicted} />;
        })}
        {valueRow && (
          <Row
            name={(actual ?? predicted)?.event === "exception" ? "(raised)" : "(returned)"}
            a={actual?.value}
            p={predicted?.value}
            showPredicted={showPredicted}
            bothPresent={!!actual && !!predicted}
          />
        )}
      </tbody>
    </table>
  );
}

function Row(props: { name: string; a: string | undefined; p: string | undefined; showPredicted: boolean; bothPresent: boolean }) {
  const { name, a, p, showPredicted, bothPresent } = props;
  let verdict = "";
  if (showPredicted && bothPresent) {
    if (a === undefined) verdict = "＋ extra";
    else if (p === undefined) verdict = "− missing";
    else verdict = a === p ? "✓ same" : "≠ differs";
  }
  const bad = verdict !== "" && verdict !== "✓ same";
  return (
    <tr className={`border-t border-slate-200 align-top dark:border-slate-800 ${bad ? "bg-amber-50 dark:bg-amber-950" : ""}`} data-testid="locals-row">
      <td className="break-all py-1 pr-2 font-semibold">{name}</td>
      <td className="whitespace-pre-wrap break-all py-1 pr-2">{a ?? <span className="text-slate-400">—</span>}</td>
      {showPredicted && <td className="whitespace-pre-wrap break-all py-1 pr-2">{p ?? <span className="text-slate-400">—</span>}</td>}
      {showPredicted && <td className={`py-1 font-sans text-xs ${bad ? "font-bold text-amber-900 dark:text-amber-200" : "text-slate-500"}`}>{verdict}</td>}
    </tr>
  );
}
