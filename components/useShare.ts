"use client";
import { useCallback, useState } from "react";
import { z } from "zod";
import { CreateRunResponse } from "@/lib/storage/schema";
import type { CanonicalTrace, PredictedTrace } from "@/lib/trace/schema";

const ErrorBody = z.object({ error: z.object({ message: z.string() }) });

/** Share: store the run (POST /api/runs), show and copy its link. */
export function useShare() {
  const [state, setState] = useState<string | null>(null);
  const [url, setUrl] = useState<string | null>(null);
  const share = useCallback(async (run: { code: string; call: string; actual: CanonicalTrace; prediction?: PredictedTrace }) => {
    setState("Sharing…");
    try {
      const res = await fetch("/api/runs", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ code: run.code, call: run.call || undefined, actual: run.actual, prediction: run.prediction }),
      });
      const json: unknown = await res.json().catch(() => null);
      if (!res.ok) {
        const err = ErrorBody.safeParse(json);
        setState(`Share failed: ${err.success ? err.data.error.message : `HTTP ${res.status}`}`);
        return;
      }
      const created = CreateRunResponse.parse(json);
      const link = new URL(created.url, window.location.origin).toString();
      setUrl(link);
      let copied = false;
      try {
        await navigator.clipboard.writeText(link);
        copied = true;
      } catch {
        // Clipboard needs a secure context and permission; the link is shown either way.
      }
      setState(copied ? `Link copied: ${link}` : `Link: ${link}`);
    } catch (e) {
      setState(`Share failed: ${e instanceof Error ? e.message : String(e)}`);
    }
  }, []);
  const reset = useCallback(() => {
    setState(null);
    setUrl(null);
  }, []);
  return { state, url, share, reset };
}
