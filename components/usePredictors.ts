"use client";
import { useCallback, useEffect, useState } from "react";
import { BASELINE_ID, BASELINE_LABEL, PredictorList, type PredictorListing } from "@/lib/predictors/protocol";

const FALLBACK: PredictorListing[] = [{ id: BASELINE_ID, label: BASELINE_LABEL, kind: "baseline", available: true, model: null }];

/** What the server offers (GET /api/predictors); a connected CWM is chosen first, else the baseline. */
export function usePredictors() {
  const [list, setList] = useState<PredictorListing[]>(FALLBACK);
  const [selected, setSelected] = useState<string>(FALLBACK[0].id);
  useEffect(() => {
    const abort = new AbortController();
    fetch("/api/predictors", { signal: abort.signal })
      .then((r) => r.json())
      .then((json: unknown) => {
        const parsed = PredictorList.safeParse(json);
        if (!parsed.success || parsed.data.predictors.length === 0) return;
        const ps = parsed.data.predictors;
        setList(ps);
        const cwm = ps.find((p) => p.kind === "cwm" && p.available);
        setSelected((cwm ?? ps.find((p) => p.available) ?? ps[0]).id);
      })
      .catch(() => {
        // The listing failed: the embedded baseline stays available.
      });
    return () => abort.abort();
  }, []);
  const select = useCallback((id: string) => setSelected(id), []);
  return { list, selected, select };
}
