"use client";
import { useCallback, useState, type ChangeEvent } from "react";
import { readRecordedFile, type RecordedSet } from "@/lib/classroom/recorded";

/** What every recorded-generations picker offers: JSONL, and JSON or plain text for files saved under another name. */
export const RECORDED_FILE_ACCEPT = ".jsonl,.json,application/jsonl,application/x-ndjson,application/json,text/plain";

/**
 * Reads a recording the user picked, keeping why the last one was refused. `pick` is an input's
 * onChange: it clears the input so that picking the same file again (after mending it) is a change too.
 */
export function useRecordedFile(onLoad: (file: { text: string; set: RecordedSet }) => void) {
  const [error, setError] = useState<string | null>(null);
  const read = useCallback(
    async (file: File): Promise<boolean> => {
      try {
        onLoad(await readRecordedFile(file));
        setError(null);
        return true;
      } catch (err) {
        setError(err instanceof Error ? err.message : String(err));
        return false;
      }
    },
    [onLoad],
  );
  const pick = useCallback(
    (e: ChangeEvent<HTMLInputElement>) => {
      const file = e.target.files?.[0];
      e.target.value = "";
      if (file) void read(file);
    },
    [read],
  );
  return { error, setError, read, pick };
}
