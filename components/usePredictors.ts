"use client";
import { useQuery } from "@tanstack/react-query";
import { useMemo, useState } from "react";
import { fetchJson } from "@/lib/http/client";
import { BASELINE_ID, BASELINE_LABEL, PredictorList, type PredictorListing } from "@/lib/predictors/protocol";

const BASELINE: PredictorListing = { id: BASELINE_ID, label: BASELINE_LABEL, kind: "baseline", available: true, model: null };

/** A connected CWM first, else any available predictor, else the embedded baseline. */
function defaultChoice(list: readonly PredictorListing[]): string {
  const cwm = list.find((p) => p.kind === "cwm" && p.available);
  return (cwm ?? list.find((p) => p.available) ?? list[0] ?? BASELINE).id;
}

/**
 * What the server offers (GET /api/predictors), with loading and error states, plus `local`: a
 * predictor that lives in the browser (recorded generations loaded from a file), when there is one.
 */
export function usePredictors(local: PredictorListing | null = null) {
  const query = useQuery({
    queryKey: ["predictors"],
    queryFn: ({ signal }) => fetchJson("/api/predictors", { signal }, PredictorList),
  });
  const [chosen, setChosen] = useState<string | null>(null);
  // While the listing loads or when it failed, the embedded baseline is still offered.
  const served = query.data?.predictors;
  const list = useMemo(() => {
    const base = served && served.length > 0 ? served : [BASELINE];
    return local ? [...base, local] : base;
  }, [served, local]);
  const selected = chosen !== null && list.some((p) => p.id === chosen) ? chosen : defaultChoice(list);
  return {
    list,
    /** The server's default for a setting the user leaves alone (CWM_MAX_TOKENS). */
    maxTokensDefault: query.data?.defaults.max_tokens ?? null,
    selected,
    /** Whether the server knows this predictor (a local one cannot be asked server-side questions such as "Will it halt?"). */
    served: (id: string) => local?.id !== id,
    select: setChosen,
    loading: query.isPending,
    error: query.error ? query.error.message : null,
    retry: query.refetch,
  };
}
