"use client";
import type { RecordedSet } from "@/lib/classroom/recorded";
import { RECORDED_FILE_ACCEPT, useRecordedFile } from "../useRecordedFile";

/**
 * Recorded CWM generations (the replay JSONL) for slides stored without a prediction: read in
 * this browser, never uploaded. The model column then says "CWM (recorded) · <file>". A file that is
 * too large or not a recording is refused with its reason.
 */
export function RecordedLoader({ recorded, onLoad }: { recorded: RecordedSet | null; onLoad: (file: { text: string; set: RecordedSet }) => void }) {
  const { error, pick } = useRecordedFile(onLoad);
  return (
    <div className="flex flex-wrap items-center gap-2 text-sm">
      <label className="flex items-center gap-2">
        Recorded predictions (JSONL, stays in this browser)
        <input
          type="file"
          accept={RECORDED_FILE_ACCEPT}
          className="text-sm file:mr-2 file:rounded file:border file:border-slate-500 file:bg-white file:px-2 file:py-1 file:text-slate-900 dark:file:bg-slate-900 dark:file:text-slate-100"
          onChange={pick}
        />
      </label>
      {recorded && (
        <span data-testid="recorded-loaded">
          Loaded: {recorded.fileName} ({recorded.lookup.size} programs)
        </span>
      )}
      {error && (
        <span role="alert" className="text-red-800 dark:text-red-300">
          {error}
        </span>
      )}
    </div>
  );
}
