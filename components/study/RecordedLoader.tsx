"use client";
import { useId } from "react";
import type { RecordedSet } from "@/lib/classroom/recorded";
import { RECORDED_FILE_ACCEPT, useRecordedFile } from "../useRecordedFile";

/**
 * "Load recorded predictions (JSONL)": a recorded-generations file read in this browser only
 * (never uploaded); slides without a stored prediction take their model answers from it.
 */
export function RecordedLoader({ recorded, onLoad, matched, missing }: { recorded: RecordedSet | null; onLoad: (r: RecordedSet | null) => void; matched: number; missing: number }) {
  const id = useId();
  const { error, pick } = useRecordedFile((r) => onLoad(r.set));

  return (
    <div className="mt-3 rounded border border-slate-300 p-3 text-sm dark:border-slate-700" data-testid="recorded-loader">
      <label htmlFor={id} className="font-semibold">
        Load recorded predictions (JSONL)
      </label>
      <p className="text-slate-700 dark:text-slate-300">
        {missing} slide{missing === 1 ? " has" : "s have"} no stored model prediction. A recorded-generations file (the replay format) gives them
        one; it is read in this browser and never uploaded.
      </p>
      <input id={id} data-testid="study-recorded-file" type="file" accept={RECORDED_FILE_ACCEPT} onChange={pick} className="mt-2 block min-h-11 max-w-full" />
      {recorded && (
        <p role="status" className="mt-1">
          Loaded <code className="font-code break-all">{recorded.fileName}</code>: recorded predictions for {matched} of {missing} slide{missing === 1 ? "" : "s"}.{" "}
          <button type="button" className="min-h-11 underline" onClick={() => onLoad(null)}>
            Forget it
          </button>
        </p>
      )}
      {error && (
        <p role="alert" className="mt-1 text-red-800 dark:text-red-300">
          Could not read that file: {error}
        </p>
      )}
    </div>
  );
}
