"use client";
import type { SavedDraft } from "@/lib/playground/drafts";

/** Earlier drafts, newest first: the user's code replaced by an example or a fork is one click away. */
export function DraftsMenu(props: { drafts: readonly SavedDraft[]; onRestore: (d: SavedDraft) => void }) {
  if (props.drafts.length === 0) return null;
  return (
    <details className="relative text-sm" data-testid="drafts">
      <summary className="flex min-h-11 cursor-pointer items-center rounded border border-slate-500 px-2">Drafts ({props.drafts.length})</summary>
      <ul className="absolute z-30 mt-1 w-80 rounded border border-slate-300 bg-white p-1 shadow-lg dark:border-slate-600 dark:bg-slate-900">
        {props.drafts.map((d) => (
          <li key={d.savedAt + d.code.length}>
            <button type="button" className="w-full rounded px-2 py-2 text-left hover:bg-slate-100 dark:hover:bg-slate-800" onClick={() => props.onRestore(d)}>
              <span className="font-code block truncate">{d.code.split("\n").find((l) => l.trim() !== "") ?? "(empty)"}</span>
              <span className="text-xs text-slate-700 dark:text-slate-200">
                saved {d.savedAt.slice(0, 16).replace("T", " ")} UTC{d.call ? ` · call ${d.call}` : " · script mode"}
              </span>
            </button>
          </li>
        ))}
      </ul>
    </details>
  );
}
