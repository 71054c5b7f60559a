"use client";
import { useRef } from "react";
import { SECONDARY_BUTTON } from "./Toolbar";
import { RECORDED_FILE_ACCEPT } from "./useRecordedFile";

/** "Recorded…": opens a recorded-generations JSONL from this computer; the file stays in the browser. */
export function RecordedControl(props: { fileName: string | null; error: string | null; onFile: (f: File) => void; onClear: () => void }) {
  const input = useRef<HTMLInputElement>(null);
  return (
    <>
      <input
        ref={input}
        type="file"
        accept={RECORDED_FILE_ACCEPT}
        className="sr-only"
        tabIndex={-1}
        aria-hidden="true"
        data-testid="recorded-file"
        onChange={(e) => {
          const f = e.target.files?.[0];
          if (f) props.onFile(f);
          e.target.value = "";
        }}
      />
      <button
        type="button"
        className={SECONDARY_BUTTON}
        title="Load recorded CWM generations (JSONL: id, code, input or call, generation). Read in this browser; nothing is uploaded."
        onClick={() => input.current?.click()}
      >
        {props.fileName ? "Other recording…" : "Recorded…"}
      </button>
      {props.fileName && (
        <span className="flex items-center gap-1 text-xs text-slate-800 dark:text-slate-100" data-testid="recorded-status" role="status">
          Recorded: <span className="font-code max-w-40 truncate">{props.fileName}</span>
          <button type="button" className="min-h-11 px-1 underline" onClick={props.onClear} aria-label={`Unload ${props.fileName}`}>
            Unload
          </button>
        </span>
      )}
      {props.error && (
        <span role="alert" className="max-w-72 text-xs font-semibold text-rose-800 dark:text-rose-200" data-testid="recorded-error">
          Could not load it: {props.error}
        </span>
      )}
    </>
  );
}
