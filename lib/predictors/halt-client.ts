/**
 * Browser side of POST /api/halt: posts, reads the NDJSON stream line by line, validates every
 * event against the shared protocol and drops events of another run. No server imports.
 */
import { AppError } from "@/lib/http/errors";
import { errorFromResponse } from "@/lib/http/client";
import { readNdjson } from "@/lib/http/ndjson";
import type { HaltVerdict } from "@/lib/cwm/chat";
import { HaltEvent, type HaltFinish, type HaltRequest, type HaltStartEvent } from "@/lib/predictors/halt-protocol";

export interface HaltOutcome {
  start: HaltStartEvent | null;
  reasoning: string;
  answer: string;
  verdict: HaltVerdict;
  finish: HaltFinish;
  message?: string;
}

export interface HaltStreamOptions {
  baseUrl?: string;
  fetch?: typeof fetch;
}

/**
 * One question. Throws an AppError when the server refuses it (422 for a predictor that is not
 * CWM, 429 busy, …); a stream that ends early resolves with what arrived, finish "error" (or
 * "stopped" when `signal` aborted it), its reasoning kept.
 */
export async function streamHalt(req: HaltRequest, onEvent: (e: HaltEvent) => void, signal?: AbortSignal, opts: HaltStreamOptions = {}): Promise<HaltOutcome> {
  let res: Response;
  try {
    res = await (opts.fetch ?? fetch)(`${opts.baseUrl ?? ""}/api/halt`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(req),
      signal,
    });
  } catch (err) {
    if (signal?.aborted) return { start: null, reasoning: "", answer: "", verdict: "unclear", finish: "stopped", message: "stopped before the answer" };
    throw new AppError("unavailable", `could not reach the server: ${err instanceof Error ? err.message : String(err)}`);
  }
  if (!res.ok || !res.body) throw await errorFromResponse(res);

  const out: HaltOutcome = { start: null, reasoning: "", answer: "", verdict: "unclear", finish: "error" };
  let ended = false;
  const read = await readNdjson(res.body, HaltEvent, (e) => {
    if (e.runId !== req.runId) return;
    if (e.type === "start") out.start = e;
    else if (e.type === "reasoning") out.reasoning += e.text;
    else if (e.type === "answer") out.answer += e.text;
    else {
      ended = true;
      out.verdict = e.verdict;
      out.finish = e.finish;
      if (e.message !== undefined) out.message = e.message;
    }
    onEvent(e);
  });
  const { malformed, lost } = read;
  if (ended) return out;
  if (signal?.aborted) return { ...out, finish: "stopped", message: "stopped by you before the answer" };
  const why = lost ? `the connection to the server was lost (${lost})` : `the server closed the stream before the answer${malformed ? ` (${malformed} unreadable events)` : ""}`;
  return { ...out, finish: "error", message: why };
}
