"use client";
import { useMutation } from "@tanstack/react-query";
import { fetchJson } from "@/lib/http/client";
import { CreateRunResponse } from "@/lib/storage/schema";
import type { CanonicalTrace, PredictedTrace } from "@/lib/trace/schema";

export interface ShareInput {
  code: string;
  call: string;
  actual: CanonicalTrace;
  prediction: PredictedTrace | null;
}

/** Share: store the run (POST /api/runs); its id (for a lesson slide) and absolute link (shown with a copy button). */
export function useShare() {
  return useMutation({
    mutationFn: async (run: ShareInput) => {
      const created = await fetchJson(
        "/api/runs",
        { method: "POST", json: { code: run.code, call: run.call.trim() === "" ? undefined : run.call, actual: run.actual, prediction: run.prediction ?? undefined } },
        CreateRunResponse,
      );
      return { id: created.id, url: new URL(created.url, window.location.origin).toString() };
    },
  });
}
