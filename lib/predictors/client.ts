/**
 * Browser side of POST /api/predict: posts, reads the NDJSON stream, validates every event with
 * the shared protocol and rebuilds the PredictedTrace. No server imports.
 */
import { readNdjson } from "@/lib/http/ndjson";
import { PredictEvent, type PredictRequest, type StartEvent } from "@/lib/predictors/protocol";
import type { Frame, PredictedTrace } from "@/lib/trace/schema";

export class PredictRequestError extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly code: string,
    /** Seconds, from Retry-After on 429. */
    readonly retryAfter: number | null,
  ) {
    super(message);
  }
}

export interface StreamOptions {
  /** Where the API lives (default: this origin). */
  baseUrl?: string;
  fetch?: typeof fetch;
}

/**
 * Streams one prediction. Events of another run id are dropped. Resolves with the whole
 * prediction; a stream that ends early resolves with what arrived, marked incomplete.
 */
export async function streamPrediction(
  req: PredictRequest,
  onEvent: (e: PredictEvent) => void,
  signal?: AbortSignal,
  opts: StreamOptions = {},
): Promise<PredictedTrace> {
  const doFetch = opts.fetch ?? fetch;
  const res = await doFetch(`${opts.baseUrl ?? ""}/api/predict`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(req),
    signal,
  });
  if (!res.ok || !res.body) throw await requestError(res);

  let start: StartEvent | null = null;
  const frames: Frame[] = [];
  let raw = "";
  let end: PredictedTrace | null = null;
  const read = await readNdjson(res.body, PredictEvent, (e) => {
    if (e.runId !== req.runId) return;
    if (e.type === "start") start = e;
    else if (e.type === "frame") frames[e.index] = e.frame;
    else if (e.type === "raw") raw += e.text;
    else end = { ...e.summary, frames: frames.filter(Boolean), raw, ...(start ? { prompt: start.prompt } : {}) };
    onEvent(e);
  });
  const malformed = read.malformed;
  let cut: string | null = null;
  if (read.lost !== null) cut = signal?.aborted ? "prediction stopped" : `prediction incomplete: the connection to the server was lost (${read.lost})`;
  if (end) return end;
  const s = start as StartEvent | null;
  return {
    status: "incomplete",
    frames: frames.filter(Boolean),
    result: null,
    error: null,
    stdout: "",
    predictor: { id: s?.predictor.id ?? req.predictor, model: s?.predictor.model ?? null, ...(s ? { label: s.predictor.label } : {}) },
    finish: signal?.aborted ? "stopped" : "error",
    valid_format: false,
    valid_json: true,
    raw,
    ...(s ? { prompt: s.prompt, settings: s.settings } : {}),
    message: cut ?? `prediction incomplete: the server closed the stream${malformed ? ` (${malformed} unreadable events)` : ""}`,
  };
}

async function requestError(res: Response): Promise<PredictRequestError> {
  let code = "http_error";
  let message = `the server answered ${res.status}`;
  try {
    const body = (await res.json()) as { error?: { code?: unknown; message?: unknown } };
    if (typeof body.error?.message === "string") message = body.error.message;
    if (typeof body.error?.code === "string") code = body.error.code;
  } catch {
    // Not our JSON error shape: keep the status line.
  }
  const ra = res.headers.get("retry-after");
  return new PredictRequestError(message, res.status, code, ra !== null && Number.isFinite(Number(ra)) ? Number(ra) : null);
}
