"use client";
import { useCallback, useState } from "react";

/** Copies a link to the clipboard and says so ("Copied ✓") until `reset`. */
export function useCopyLink() {
  const [copied, setCopied] = useState(false);
  const copy = useCallback(async (url: string) => {
    try {
      await navigator.clipboard.writeText(url);
      setCopied(true);
    } catch {
      // No clipboard (insecure context, denied): the link stays selectable in its field.
      setCopied(false);
    }
  }, []);
  const reset = useCallback(() => setCopied(false), []);
  return { copied, copy, reset };
}
