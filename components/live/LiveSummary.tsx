"use client";
import { useCallback, useEffect, useState } from "react";
import type { Normalised } from "@/lib/classroom/answers";
import { fetchJson } from "@/lib/http/client";
import { LiveResults } from "@/lib/live/protocol";
import type { StoredLesson } from "@/lib/storage/lesson-schema";
import { SECONDARY_BUTTON } from "@/components/Toolbar";
import { summarise, summaryCsv, summaryTexts, type SummaryRow } from "@/lib/live/client/summary";

type Loaded = { kind: "idle" } | { kind: "loading" } | { kind: "failed"; message: string } | { kind: "done"; participants: number; rows: SummaryRow[] };

/**
 * Per question: how many answered, the class's % right, the model's answer and whether it was
 * right. Loaded by itself when the session ends and on request before; downloadable as CSV
 * made in this browser.
 */
export function LiveSummary({
  sessionId,
  lesson,
  ended,
  normalise,
}: {
  sessionId: string;
  lesson: StoredLesson;
  ended: boolean;
  normalise: (texts: readonly string[]) => Promise<Normalised>;
}) {
  const [loaded, setLoaded] = useState<Loaded>({ kind: "idle" });
  const [csvUrl, setCsvUrl] = useState<string | null>(null);

  const load = useCallback(async () => {
    setLoaded({ kind: "loading" });
    try {
      const results = await fetchJson(`/api/live/${encodeURIComponent(sessionId)}/results`, {}, LiveResults);
      const norm = await normalise(summaryTexts(results, lesson));
      setLoaded({ kind: "done", participants: results.participants, rows: summarise(results, lesson, norm) });
    } catch (err) {
      setLoaded({ kind: "failed", message: err instanceof Error ? err.message : String(err) });
    }
  }, [sessionId, lesson, normalise]);

  useEffect(() => {
    if (ended) void load();
  }, [ended, load]);

  useEffect(() => {
    if (loaded.kind !== "done") return;
    const url = URL.createObjectURL(new Blob([summaryCsv(lesson.title, loaded.participants, loaded.rows)], { type: "text/csv;charset=utf-8" }));
    setCsvUrl(url);
    return () => URL.revokeObjectURL(url);
  }, [loaded, lesson.title]);

  return (
    <section aria-labelledby="live-summary" className="flex flex-col gap-2">
      <div className="flex flex-wrap items-center gap-2">
        <h2 id="live-summary" className="text-lg font-bold">
          Results
        </h2>
        <button type="button" className={SECONDARY_BUTTON} onClick={() => void load()} disabled={loaded.kind === "loading"}>
          {loaded.kind === "done" ? "Refresh results" : "Show results"}
        </button>
        {loaded.kind === "done" && csvUrl && (
          <a className={`${SECONDARY_BUTTON} inline-flex items-center`} href={csvUrl} download={`live-results-${sessionId}.csv`}>
            Download CSV
          </a>
        )}
      </div>
      {loaded.kind === "loading" && <p role="status">Loading the results…</p>}
      {loaded.kind === "failed" && <p role="alert">Could not load the results: {loaded.message}</p>}
      {loaded.kind === "done" && <SummaryTable participants={loaded.participants} rows={loaded.rows} />}
    </section>
  );
}

function SummaryTable({ participants, rows }: { participants: number; rows: SummaryRow[] }) {
  return (
    <div className="overflow-x-auto">
      <p className="text-sm">{participants} joined.</p>
      <table className="w-full border-collapse text-left" data-testid="live-summary-table">
        <thead>
          <tr className="border-b border-slate-400">
            <th scope="col" className="p-1">
              Question
            </th>
            <th scope="col" className="p-1">
              Answers
            </th>
            <th scope="col" className="p-1">
              Class right
            </th>
            <th scope="col" className="p-1">
              Reality
            </th>
            <th scope="col" className="p-1">
              Model
            </th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={`${r.slide}:${r.question}`} className="border-b border-slate-300 dark:border-slate-700">
              <th scope="row" className="p-1 font-normal">
                Slide {r.slide + 1}, question {r.question + 1}: {r.prompt.replaceAll("`", "")}
              </th>
              <td className="p-1 tabular-nums">{r.answers}</td>
              <td className="p-1 tabular-nums">{r.percent === null ? "—" : `${r.percent}% (${r.right})`}</td>
              <td className="font-code p-1">{r.real}</td>
              <td className="p-1">
                {r.model ? (
                  <>
                    <code className="font-code">{r.model.answer}</code>{" "}
                    {r.model.correct === true ? "right" : r.model.correct === false ? "wrong" : "not scored"}
                  </>
                ) : (
                  "no prediction"
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
