/**
 * The browser's StepFn: one POST /api/predict/step per model frame. Errors are AppErrors (the
 * route's own code and message); an abort rethrows the AbortError so a Stop is not a failure.
 */
import { fetchJson } from "@/lib/http/client";
import type { StepFn } from "@/lib/debugger/engine";
import { StepResponse, type StepRequest } from "@/lib/debugger/protocol";
import type { SamplingSettings } from "@/lib/trace/schema";

export interface HttpStepOptions {
  runId: string;
  predictor: string;
  code: string;
  call: string | null;
  settings?: Partial<SamplingSettings>;
  /** Sees every answer (its text, timings and provenance) before the engine does. */
  onResponse?: (r: StepResponse) => void;
  url?: string;
}

export function httpStepFn(o: HttpStepOptions): StepFn {
  return async (frames, force, signal) => {
    const body: StepRequest = {
      runId: o.runId,
      predictor: o.predictor,
      code: o.code,
      call: o.call,
      frames: [...frames],
      ...(force ? { force } : {}),
      ...(o.settings ? { settings: o.settings } : {}),
    };
    const r = await fetchJson(o.url ?? "/api/predict/step", { method: "POST", json: body, signal }, StepResponse);
    o.onResponse?.(r);
    if (r.end === "frame") return { end: "frame", frame: r.frame };
    if (r.end === "eos") return { end: "eos" };
    return { end: r.end, text: r.text };
  };
}
