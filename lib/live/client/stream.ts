/**
 * The live session's event stream as the pages read it: Server-Sent Events over fetch (not
 * EventSource) so a final answer (401/403/404/410) is told apart from a dropped connection,
 * which EventSource reports the same way. A dropped stream (a phone that slept, a restarted
 * server, a proxy's idle cut) reconnects with backoff and resends Last-Event-ID so the server
 * replays what was missed; a stream that stays silent past the heartbeat window is treated as
 * dropped. Every event's data is parsed against the caller's schema; an event of a type the
 * page does not know (a newer server) or a malformed one is skipped, never guessed at. No React
 * here: the hooks wrap it.
 */
import { createParser } from "eventsource-parser";
import type { z } from "zod";
import { errorFromResponse } from "@/lib/http/client";

export type StreamStatus =
  | { kind: "connecting" }
  | { kind: "open" }
  | { kind: "reconnecting"; attempt: number; inMs: number; why: string }
  /** The server said no for good: not allowed, unknown or ended session. No more attempts. */
  | { kind: "closed"; status: number; message: string };

export interface LiveStreamOptions<E> {
  url: string;
  /** What each event's data must be (the protocol's union). */
  schema: z.ZodType<E>;
  onEvent: (e: E) => void;
  onStatus: (s: StreamStatus) => void;
  fetchImpl?: typeof fetch;
  /** First retry delay; doubles per failed attempt up to maxDelayMs (with jitter below it). */
  baseDelayMs?: number;
  maxDelayMs?: number;
  /** No byte for this long (the server sends a comment every 15 s) means the stream is dead. */
  silenceMs?: number;
  /** Where to resume from on the first connect (a reloaded page starts from nothing). */
  lastEventId?: string;
  random?: () => number;
  now?: () => number;
}

export interface LiveStream {
  /** Connects at once if not connected (the page became visible, the network came back). */
  wake(): void;
  close(): void;
  readonly lastEventId: string | undefined;
}

/** Statuses after which retrying cannot help: the same request gets the same answer. */
const FINAL_STATUSES = new Set([400, 401, 403, 404, 410]);
/** An event is a few KiB at most; a bigger buffer means a broken or hostile stream. */
const MAX_BUFFER = 1024 * 1024;

function parseEvent<E>(schema: z.ZodType<E>, data: string): { ok: true; value: E } | { ok: false } {
  let json: unknown;
  try {
    json = JSON.parse(data);
  } catch {
    return { ok: false };
  }
  const parsed = schema.safeParse(json);
  return parsed.success ? { ok: true, value: parsed.data } : { ok: false };
}

export function retryDelay(attempt: number, baseMs: number, maxMs: number, random: () => number): number {
  const cap = Math.min(maxMs, baseMs * 2 ** Math.max(0, attempt - 1));
  // Half fixed, half random: thirty phones woken by the same bell do not all reconnect at once.
  return Math.round(cap / 2 + (random() * cap) / 2);
}

export function openLiveStream<E>(opts: LiveStreamOptions<E>): LiveStream {
  const doFetch = opts.fetchImpl ?? ((input: RequestInfo | URL, init?: RequestInit) => fetch(input, init));
  const baseMs = opts.baseDelayMs ?? 500;
  const maxMs = opts.maxDelayMs ?? 15_000;
  const silenceMs = opts.silenceMs ?? 45_000;
  const random = opts.random ?? Math.random;
  const now = opts.now ?? Date.now;
  let lastByteAt = 0;
  let lastEventId = opts.lastEventId;
  let closed = false;
  let attempt = 0;
  let controller: AbortController | null = null;
  let retryTimer: ReturnType<typeof setTimeout> | null = null;
  let silenceTimer: ReturnType<typeof setTimeout> | null = null;
  let connected = false;

  const clearTimers = () => {
    if (retryTimer) clearTimeout(retryTimer);
    if (silenceTimer) clearTimeout(silenceTimer);
    retryTimer = silenceTimer = null;
  };

  const scheduleRetry = (why: string) => {
    if (closed) return;
    connected = false;
    attempt += 1;
    const inMs = retryDelay(attempt, baseMs, maxMs, random);
    opts.onStatus({ kind: "reconnecting", attempt, inMs, why });
    retryTimer = setTimeout(connect, inMs);
  };

  const armSilence = (ctl: AbortController) => {
    if (silenceTimer) clearTimeout(silenceTimer);
    silenceTimer = setTimeout(() => ctl.abort(new Error("silent")), silenceMs);
  };

  async function connect(): Promise<void> {
    if (closed) return;
    clearTimers();
    controller?.abort();
    const ctl = new AbortController();
    controller = ctl;
    opts.onStatus({ kind: "connecting" });
    const headers: Record<string, string> = { accept: "text/event-stream" };
    if (lastEventId !== undefined) headers["last-event-id"] = lastEventId;
    let res: Response;
    try {
      armSilence(ctl);
      res = await doFetch(opts.url, { headers, signal: ctl.signal, cache: "no-store", credentials: "same-origin" });
    } catch (err) {
      if (controller !== ctl) return;
      return scheduleRetry(
        ctl.signal.aborted ? "no answer from the server" : `could not reach the server (${err instanceof Error ? err.message : String(err)})`,
      );
    }
    if (controller !== ctl) return;
    if (!res.ok) {
      const e = await errorFromResponse(res);
      if (controller !== ctl) return;
      if (FINAL_STATUSES.has(res.status)) {
        closed = true;
        clearTimers();
        opts.onStatus({ kind: "closed", status: res.status, message: e.message });
        return;
      }
      return scheduleRetry(`the server answered ${res.status}: ${e.message}`);
    }
    if (!res.body) return scheduleRetry("the server sent no stream");
    const parser = createParser({
      maxBufferSize: MAX_BUFFER,
      onEvent: (m) => {
        // A skipped event still moves the resume point: replaying it would be skipped again.
        if (m.id !== undefined) lastEventId = m.id;
        const e = parseEvent(opts.schema, m.data);
        if (e.ok) opts.onEvent(e.value);
      },
    });
    const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
    connected = true;
    lastByteAt = now();
    attempt = 0;
    opts.onStatus({ kind: "open" });
    try {
      for (;;) {
        armSilence(ctl);
        const { done, value } = await reader.read();
        if (done) break;
        if (controller !== ctl) return;
        lastByteAt = now();
        parser.feed(value);
      }
    } catch {
      // Aborted (silence, wake, close) or reset: handled below as a drop unless closed.
    } finally {
      reader.cancel().catch(() => {});
    }
    if (controller !== ctl || closed) return;
    scheduleRetry(ctl.signal.aborted ? "the stream went silent" : "the server closed the stream");
  }

  void connect();

  return {
    wake() {
      if (closed) return;
      // A stream that spoke within the heartbeat window is alive; one from before a phone slept
      // may be a dead socket the browser has not noticed yet.
      if (connected && controller && !controller.signal.aborted && now() - lastByteAt < silenceMs) return;
      attempt = 0;
      void connect();
    },
    close() {
      closed = true;
      clearTimers();
      controller?.abort();
      controller = null;
    },
    get lastEventId() {
      return lastEventId;
    },
  };
}

/** What both live screens hold of their stream: its status and a view that is live, gone or waiting. */
interface StreamScreen {
  conn: StreamStatus;
  view: { kind: "waiting" } | { kind: "live"; state: { phase: string } } | { kind: "gone"; status: number; message: string };
}

/**
 * A screen after its stream's status changed. A stream the server closed for good makes the
 * view "gone", except after the session ended: an ended session answers 410 on reconnect, and
 * its last state already says so.
 */
export function withStreamStatus<S extends StreamScreen>(s: S, status: StreamStatus): S {
  if (status.kind !== "closed" || (s.view.kind === "live" && s.view.state.phase === "ended")) return { ...s, conn: status };
  return { ...s, conn: status, view: { kind: "gone", status: status.status, message: status.message } };
}
