/**
 * NDJSON streams, both ends: the routes that stream (predictions, "Will it halt?") write events
 * through one batched writer, and the browser reads them through one line reader that checks
 * every line against the route's zod union. No server imports.
 */
import type { z } from "zod";

export const NDJSON_HEADERS = {
  "content-type": "application/x-ndjson; charset=utf-8",
  "cache-control": "no-store",
  "x-accel-buffering": "no",
} as const;

export interface NdjsonWriter<E> {
  send(e: E): void;
  /** Sends what is pending and closes the stream (once; a cancelled reader is fine). */
  close(): void;
}

/**
 * Events written in one task go out as one chunk at the end of it: 10,000 frames are a few
 * hundred writes, not 10,000, and nothing waits longer than the current task.
 */
export function ndjsonWriter<E>(controller: ReadableStreamDefaultController<Uint8Array>): NdjsonWriter<E> {
  const encoder = new TextEncoder();
  let open = true;
  let pending: string[] = [];
  const flush = () => {
    if (!open || pending.length === 0) return;
    const text = pending.join("");
    pending = [];
    try {
      controller.enqueue(encoder.encode(text));
    } catch {
      open = false;
    }
  };
  return {
    send(e) {
      if (!open) return;
      if (pending.length === 0) setImmediate(flush);
      pending.push(`${JSON.stringify(e)}\n`);
    },
    close() {
      flush();
      if (!open) return;
      open = false;
      try {
        controller.close();
      } catch {
        // Already closed by a cancelled reader.
      }
    },
  };
}

/**
 * A streamed NDJSON answer. `run` sends events and is told to stop (its signal aborts) when the
 * client goes away or the request is aborted; `done` runs once it has settled, before the stream
 * closes (where a route releases what it holds, e.g. its place in a predictor's queue).
 */
export function ndjsonResponse<E>(req: Request, run: (send: (e: E) => void, signal: AbortSignal) => Promise<void>, done: () => void): Response {
  const abort = new AbortController();
  const onReqAbort = () => abort.abort(req.signal.reason);
  req.signal.addEventListener("abort", onReqAbort, { once: true });
  const stream = new ReadableStream<Uint8Array>({
    start(controller) {
      const out = ndjsonWriter<E>(controller);
      void run((e) => out.send(e), abort.signal).finally(() => {
        done();
        req.signal.removeEventListener("abort", onReqAbort);
        out.close();
      });
    },
    cancel() {
      abort.abort(new Error("client disconnected"));
    },
  });
  return new Response(stream, { headers: NDJSON_HEADERS });
}

export interface NdjsonReadResult {
  /** Lines that were not JSON or not one of the schema's events. */
  malformed: number;
  /** Why the connection was lost before the stream's end, or null when it ended normally. */
  lost: string | null;
}

/** Reads a stream line by line; each line that parses against `schema` goes to `onEvent`. */
export async function readNdjson<S extends z.ZodType>(body: ReadableStream<Uint8Array>, schema: S, onEvent: (e: z.infer<S>) => void): Promise<NdjsonReadResult> {
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
    const ev = schema.safeParse(json);
    if (!ev.success) {
      malformed++;
      return;
    }
    onEvent(ev.data);
  };
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let buf = "";
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
    return { malformed, lost: err instanceof Error ? err.message : String(err) };
  }
  return { malformed, lost: null };
}
