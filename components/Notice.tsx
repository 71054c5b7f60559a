"use client";
import type { ReactNode } from "react";

/** A one-line message under the header, e.g. "Loaded the example … Undo", dismissable when it is not a state. */
export function Notice(props: { children: ReactNode; onDismiss?: () => void; testId?: string }) {
  return (
    <div role="status" data-testid={props.testId ?? "notice"} className="mx-2 mt-2 flex items-center gap-2 rounded border border-amber-600 bg-amber-50 px-3 py-1 text-sm text-amber-950 dark:bg-amber-950 dark:text-amber-50">
      <span className="flex-1">{props.children}</span>
      {props.onDismiss && (
        <button type="button" className="min-h-11 min-w-11 rounded px-2" aria-label="Dismiss" onClick={props.onDismiss}>
          ✕
        </button>
      )}
    </div>
  );
}
