/**
 * Browser side of POST /api/halt: posts, reads the NDJSON stream line by line, validates every
 * event against the shared protocol and drops events of another run. No server imports.
 */
import { AppError } from "@/lib/http/errors";
import { errorFromResponse } from "@/lib/http/client";
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
  let malformed = 0;
  const handle = (line: string) => {
    if (line.trim() === "") return;
    let json: unknown;
    try {
      json = JSON.parse(line);
    } catch {
      malformed++;
      return;
    }
    const ev = HaltEvent.safeParse(json);
    if (!ev.success) {
      malformed++;
      return;
    }
    const e = ev.data;
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
  };

  const reader = res.body.getReader();
  const decoder = new TextDecoder();
  let buf = "";
  let lost: string | null = null;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      buf += decoder.decode(value, { stream: true });
      let nl: number;
      while ((nl = buf.indexOf("\n")) >= 0) {
        handle(buf.slice(0, nl));
        buf = buf.slice(nl + 1);
      }
    }
    buf += decoder.decode();
    if (buf) handle(buf);
  } catch (err) {
    lost = err instanceof Error ? err.message : String(err);
  }
  if (ended) return out;
  if (signal?.aborted) return { ...out, finish: "stopped", message: "stopped by you before the answer" };
  const why = lost ? `the connection to the server was lost (${lost})` : `the server closed the stream before the answer${malformed ? ` (${malformed} unreadable events)` : ""}`;
  return { ...out, finish: "error", message: why };
}
