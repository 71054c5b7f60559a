/**
 * HTTP to an inference server with the three timeouts that matter: connecting (until response
 * headers), the first token, and the gap between tokens. Any of them, or the caller's signal,
 * closes the upstream request.
 */
import { createParser } from "eventsource-parser";
import { PredictorError } from "@/lib/predictors/drive";

export interface Timeouts {
  connectMs: number;
  firstTokenMs: number;
  idleMs: number;
}

export class Watchdog {
  readonly controller = new AbortController();
  private timer: ReturnType<typeof setTimeout> | null = null;
  private reason: PredictorError | null = null;
  private readonly onOuterAbort: () => void;

  constructor(private readonly outer: AbortSignal) {
    this.onOuterAbort = () => this.controller.abort(outer.reason);
    if (outer.aborted) this.controller.abort(outer.reason);
    else outer.addEventListener("abort", this.onOuterAbort, { once: true });
  }

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  /** (Re)arms the timer: when it fires the request is aborted with this message. */
  arm(ms: number, message: string): void {
    this.disarm();
    this.timer = setTimeout(() => {
      this.reason = new PredictorError(message);
      this.controller.abort(this.reason);
    }, ms);
  }

  disarm(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  /** The error to report for `err`: the timeout's own message when a timer caused it. */
  explain(err: unknown, url: string): unknown {
    if (this.reason) return this.reason;
    if (this.outer.aborted) return err;
    return networkError(err, url);
  }

  dispose(): void {
    this.disarm();
    this.outer.removeEventListener("abort", this.onOuterAbort);
  }
}

export function networkError(err: unknown, url: string): unknown {
  if (err instanceof PredictorError) return err;
  const cause = err instanceof Error ? (err.cause as { code?: string } | undefined) : undefined;
  const code = cause?.code;
  if (err instanceof TypeError || code) {
    const why =
      code === "ECONNREFUSED"
        ? "connection refused"
        : code === "ECONNRESET" || code === "UND_ERR_SOCKET"
          ? "connection closed by the server"
          : (code ?? (err as Error).message);
    return new PredictorError(`cannot reach the CWM server at ${url} (${why})`);
  }
  return err;
}

/** A clear message for a non-2xx answer of an inference server. */
export async function httpError(res: Response, url: string, keyVar: string): Promise<PredictorError> {
  let detail = "";
  try {
    detail = (await res.text()).slice(0, 300).trim();
  } catch {
    // The body is only a hint.
  }
  const hint = detail ? `: ${detail}` : "";
  if (res.status === 401 || res.status === 403)
    return new PredictorError(`the CWM server at ${url} refused the request (${res.status}); check ${keyVar}${hint}`);
  if (res.status === 429) {
    const retry = res.headers.get("retry-after");
    return new PredictorError(`the CWM server is busy (429)${retry ? `, retry after ${retry} s` : ""}; try again later`);
  }
  if (res.status >= 500) return new PredictorError(`the CWM server failed (${res.status})${hint}`);
  return new PredictorError(`the CWM server answered ${res.status}${hint}`);
}

export function joinUrl(base: string, path: string): string {
  return `${base.replace(/\/+$/, "")}${path}`;
}

export interface SseReadOptions {
  /** The longest silence between two pieces of text once text has come. */
  idleMs: number;
  idleMessage: string;
  /** Said when the connection breaks mid-stream (not by our own abort). */
  lostMessage: string;
}

/**
 * Reads an OpenAI-style Server-Sent Events stream (vLLM's completions, any chat server's
 * deltas). Each `data:` event other than `[DONE]` goes to `onData`, which returns whether it
 * carried text (re-arming the idle timer) and throws a PredictorError to stop the stream.
 * Resolves with whether `[DONE]` arrived.
 */
export async function readSse(body: ReadableStream<Uint8Array>, dog: Watchdog, opts: SseReadOptions, onData: (data: string) => boolean): Promise<boolean> {
  // Written from the parser's callback, so kept in an object (TS does not track closure writes).
  const st: { done: boolean; got: boolean; failure: unknown } = { done: false, got: false, failure: null };
  const parser = createParser({
    onEvent(ev) {
      if (st.done || st.failure) return;
      if (ev.data === "[DONE]") {
        st.done = true;
        return;
      }
      try {
        if (onData(ev.data)) st.got = true;
      } catch (err) {
        st.failure = err;
      }
    },
  });
  const reader = body.getReader();
  const decoder = new TextDecoder();
  for (;;) {
    let chunk: ReadableStreamReadResult<Uint8Array>;
    try {
      chunk = await reader.read();
    } catch (err) {
      if (dog.signal.aborted) throw err;
      throw new PredictorError(opts.lostMessage);
    }
    if (chunk.done) break;
    parser.feed(decoder.decode(chunk.value, { stream: true }));
    if (st.failure) {
      void reader.cancel().catch(() => {});
      throw st.failure;
    }
    if (st.got) dog.arm(opts.idleMs, opts.idleMessage);
    if (st.done) break;
  }
  return st.done;
}
