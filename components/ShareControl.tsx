"use client";
import { useEffect } from "react";
import { SECONDARY_BUTTON } from "./Toolbar";
import { useCopyLink } from "./useCopyLink";
import type { ShareInput, useShare } from "./useShare";

/**
 * Share: disabled until there is a finished run of the code in the editor; then stores it and
 * shows the link with a copy button. A new result makes the old link go away.
 */
export function ShareControl(props: { input: ShareInput | null; resultKey: string | null; share: ReturnType<typeof useShare> }) {
  // The page owns the mutation and gives "Add to lesson" the same one, so a run shared by either is stored once.
  const { share } = props;
  const { copied, copy, reset: uncopied } = useCopyLink();
  const { reset } = share;
  useEffect(() => {
    reset();
    uncopied();
  }, [props.resultKey, reset, uncopied]);

  return (
    <>
      <button
        type="button"
        className={SECONDARY_BUTTON}
        disabled={props.input === null || share.isPending}
        title={props.input === null ? "Run the code first: a shared run holds its real trace" : "Store this run and get a link"}
        onClick={() => props.input && share.mutate(props.input, { onSuccess: ({ url }) => void copy(url) })}
      >
        {share.isPending ? "Sharing…" : "Share"}
      </button>
      {share.data && (
        <span className="flex items-center gap-1 text-sm" data-testid="share-status" role="status">
          <label className="sr-only" htmlFor="share-link">
            Link to this run
          </label>
          <input id="share-link" readOnly value={share.data.url} className="font-code min-h-11 w-56 rounded border border-slate-400 bg-white px-2 dark:bg-slate-900" onFocus={(e) => e.target.select()} />
          <button type="button" className={SECONDARY_BUTTON} onClick={() => void copy(share.data.url)}>
            {copied ? "Copied ✓" : "Copy link"}
          </button>
        </span>
      )}
      {share.error && (
        <span role="alert" className="text-sm font-semibold text-rose-800 dark:text-rose-200" data-testid="share-status">
          Share failed: {share.error.message}
        </span>
      )}
    </>
  );
}
