/**
 * One session stream as a text/event-stream Response. The stream subscribes to the hub before
 * it reads where to start from, holds what arrives meanwhile, and from then on sends each
 * event for its audiences once, in seq order. A client that stops reading is cut off (it
 * resumes with Last-Event-ID) instead of queueing without bound.
 */
import "server-only";
import type { LiveHub } from "./hub";
import type { StoredEvent } from "./store";

const encoder = new TextEncoder();
/** Each event is encoded once per instance, however many streams send it. */
const encoded = new WeakMap<StoredEvent, Uint8Array>();

const TYPE = /^\{"type":"([a-z]+)"/;

export function frame(e: StoredEvent): Uint8Array {
  let bytes = encoded.get(e);
  if (!bytes) {
    const type = TYPE.exec(e.data)?.[1] ?? "message";
    bytes = encoder.encode(`id: ${e.seq}\nevent: ${type}\ndata: ${e.data}\n\n`);
    encoded.set(e, bytes);
  }
  return bytes;
}

/** An event sent without an id (EventSource keeps the last id it had). */
export function frameWithoutId(data: string): Uint8Array {
  const type = TYPE.exec(data)?.[1] ?? "message";
  return encoder.encode(`event: ${type}\ndata: ${data}\n\n`);
}

const HEARTBEAT = encoder.encode(": keep-alive\n\n");
/** Bytes queued for a client that does not read before it is cut off. */
const MAX_QUEUED = 1 << 20;

export interface StreamStart {
  /** The events that bring the client up to `seq`, already framed. */
  frames: Uint8Array[];
  seq: number;
  /** Close right after the start (the session is over). */
  end: boolean;
}

export function sessionStream(opts: {
  hub: LiveHub;
  sessionId: string;
  audiences: ReadonlySet<string>;
  signal: AbortSignal;
  heartbeatMs: number;
  start: () => Promise<StreamStart>;
  /** An event this stream just sent; true closes the stream after it (the session ended). */
  isFinal?: (e: StoredEvent) => boolean;
}): Response {
  let controller!: ReadableStreamDefaultController<Uint8Array>;
  let closed = false;
  let lastSeq: number | null = null;
  const held: StoredEvent[] = [];
  let timer: ReturnType<typeof setInterval> | null = null;

  const close = () => {
    if (closed) return;
    closed = true;
    if (timer) clearInterval(timer);
    sub.close();
    try {
      controller.close();
    } catch {
      // already closed or errored by the consumer
    }
  };
  const write = (bytes: Uint8Array) => {
    if (closed) return;
    if ((controller.desiredSize ?? 0) < -MAX_QUEUED) return close();
    controller.enqueue(bytes);
  };
  const send = (e: StoredEvent) => {
    if (lastSeq !== null && e.seq <= lastSeq) return;
    lastSeq = e.seq;
    if (!opts.audiences.has(e.audience)) return;
    write(frame(e));
    if (opts.isFinal?.(e)) close();
  };

  const sub = opts.hub.subscribe(opts.sessionId, {
    push: (e) => {
      if (lastSeq === null) held.push(e);
      else send(e);
    },
    end: () => close(),
  });

  const stream = new ReadableStream<Uint8Array>(
    {
      start: (c) => {
        controller = c;
        // A comment first: proxies and browsers see the stream open before the first event.
        c.enqueue(encoder.encode(": connected\n\n"));
        opts
          .start()
          .then((s) => {
            if (closed) return;
            for (const f of s.frames) write(f);
            lastSeq = s.seq;
            sub.ready(s.seq);
            if (s.end) return close();
            for (const e of held.splice(0)) send(e);
            timer = setInterval(() => write(HEARTBEAT), opts.heartbeatMs);
          })
          .catch((err: unknown) => {
            console.error(`live: starting a stream of session ${opts.sessionId} failed`, err);
            close();
          });
      },
      cancel: () => close(),
    },
    { highWaterMark: 0 },
  );
  opts.signal.addEventListener("abort", close, { once: true });

  return new Response(stream, {
    status: 200,
    headers: {
      "Content-Type": "text/event-stream; charset=utf-8",
      // no-transform: compression middleware must not buffer the stream.
      "Cache-Control": "no-cache, no-transform",
      "X-Accel-Buffering": "no",
    },
  });
}
