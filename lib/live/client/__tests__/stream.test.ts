import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { z } from "zod";
import { openLiveStream, retryDelay, type LiveStream, type StreamStatus } from "../stream";

/** A small union standing in for the protocol's: the stream only needs one to parse against. */
const Ev = z.discriminatedUnion("type", [z.object({ type: z.literal("state"), n: z.number() }).strict(), z.object({ type: z.literal("you") }).strict()]);
type Ev = z.infer<typeof Ev>;

/** A real SSE server on 127.0.0.1 whose answer to each request the test scripts. */
type Handler = (req: http.IncomingMessage, res: http.ServerResponse, n: number) => void;
const servers: http.Server[] = [];
const streams: LiveStream[] = [];

async function serve(handler: Handler): Promise<{ url: string; requests: http.IncomingMessage[] }> {
  const requests: http.IncomingMessage[] = [];
  const server = http.createServer((req, res) => {
    requests.push(req);
    handler(req, res, requests.length);
  });
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/events`, requests };
}

function sse(res: http.ServerResponse) {
  res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-store" });
  res.flushHeaders();
}

function open(url: string, over: Partial<Parameters<typeof openLiveStream<Ev>>[0]> = {}) {
  const messages: Ev[] = [];
  const statuses: StreamStatus[] = [];
  const s = openLiveStream<Ev>({
    url,
    schema: Ev,
    onEvent: (m) => messages.push(m),
    onStatus: (st) => statuses.push(st),
    baseDelayMs: 20,
    maxDelayMs: 40,
    random: () => 0.5,
    ...over,
  });
  streams.push(s);
  return { s, messages, statuses };
}

// Generous: a loaded CI machine delays timers; the wait ends as soon as the condition holds.
async function until(cond: () => boolean, what: string, ms = 30_000) {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

afterEach(async () => {
  streams.splice(0).forEach((s) => s.close());
  await Promise.all(
    servers.splice(0).map(
      (s) =>
        new Promise<void>((r) => {
          s.closeAllConnections();
          s.close(() => r());
        }),
    ),
  );
});

describe("the live event stream", () => {
  it("delivers each event parsed and says it is open", async () => {
    const { url } = await serve((_req, res) => {
      sse(res);
      res.write('id: 1\nevent: state\ndata: {"type":"state","n":1}\n\n: heartbeat\n\nid: 2\ndata: {"type":"you"}\n\n');
    });
    const { s, messages, statuses } = open(url);
    await until(() => messages.length === 2, "two events");
    expect(messages).toEqual([{ type: "state", n: 1 }, { type: "you" }]);
    expect(statuses.map((x) => x.kind)).toEqual(["connecting", "open"]);
    expect(s.lastEventId).toBe("2");
  });

  it("skips malformed events and events of unknown types, and keeps reading", async () => {
    const { url } = await serve((_req, res) => {
      sse(res);
      res.write('id: 1\ndata: {"type":"state"\n\nid: 2\ndata: {"type":"state","n":"one"}\n\nid: 3\ndata: {"type":"newer"}\n\nid: 4\ndata: {"type":"state","n":4}\n\n');
    });
    const { s, messages } = open(url);
    await until(() => messages.length === 1, "the good event");
    expect(messages).toEqual([{ type: "state", n: 4 }]);
    expect(s.lastEventId).toBe("4");
  });

  it("moves the resume point past a skipped event", async () => {
    const { url, requests } = await serve((_req, res, n) => {
      sse(res);
      if (n === 1) res.end("id: 5\ndata: not json\n\n");
    });
    const { messages } = open(url);
    await until(() => requests.length === 2, "a second request");
    expect(requests[1].headers["last-event-id"]).toBe("5");
    expect(messages).toEqual([]);
  });

  it("reconnects after the server drops the stream and resumes from the last event id", async () => {
    const { url, requests } = await serve((_req, res, n) => {
      sse(res);
      if (n === 1) res.end("id: 7\ndata: {}\n\n");
    });
    const { statuses } = open(url);
    await until(() => requests.length === 2, "a second request");
    expect(requests[0].headers["last-event-id"]).toBeUndefined();
    expect(requests[1].headers["last-event-id"]).toBe("7");
    expect(statuses.some((x) => x.kind === "reconnecting" && x.why === "the server closed the stream")).toBe(true);
  });

  it("resumes a reloaded page from the id it was given", async () => {
    const { url, requests } = await serve((_req, res) => sse(res));
    open(url, { lastEventId: "41" });
    await until(() => requests.length === 1, "a request");
    expect(requests[0].headers["last-event-id"]).toBe("41");
  });

  for (const status of [401, 403, 404, 410]) {
    it(`stops for good on ${status} and passes on the server's message`, async () => {
      const { url, requests } = await serve((_req, res) => {
        res.writeHead(status, { "content-type": "application/json" });
        res.end(JSON.stringify({ error: { code: "x", message: `no (${status})` } }));
      });
      const { statuses } = open(url);
      await until(() => statuses.some((x) => x.kind === "closed"), "closed");
      expect(statuses.at(-1)).toEqual({ kind: "closed", status, message: `no (${status})` });
      await new Promise((r) => setTimeout(r, 150));
      expect(requests.length).toBe(1);
    });
  }

  it("retries a server error and opens once the server is back", async () => {
    const { url, requests } = await serve((_req, res, n) => {
      if (n < 3) {
        res.writeHead(503, { "content-type": "application/json" });
        res.end(JSON.stringify({ error: { code: "unavailable", message: "restarting" } }));
      } else sse(res);
    });
    const { statuses } = open(url);
    await until(() => statuses.at(-1)?.kind === "open", "open");
    expect(requests.length).toBe(3);
    const retries = statuses.filter((x) => x.kind === "reconnecting");
    expect(retries.map((x) => (x.kind === "reconnecting" ? x.attempt : 0))).toEqual([1, 2]);
    expect(retries[0].kind === "reconnecting" && retries[0].why).toContain("503");
  });

  it("treats a stream silent past the heartbeat window as dropped", async () => {
    const { url, requests } = await serve((_req, res) => sse(res));
    // 1 s, not less: on a loaded machine a shorter window can end while the fetch itself is still
    // waiting for headers, which is the other drop ("no answer from the server").
    const { statuses } = open(url, { silenceMs: 1_000 });
    await until(() => requests.length >= 2, "a reconnect after silence");
    expect(statuses.some((x) => x.kind === "reconnecting" && x.why === "the stream went silent")).toBe(true);
  });

  it("keeps a stream that hears heartbeats", async () => {
    const { url, requests } = await serve((_req, res) => {
      sse(res);
      const t = setInterval(() => res.write(": hb\n\n"), 30);
      res.on("close", () => clearInterval(t));
    });
    // Heartbeats 30 ms apart against a 2 s window: only a timer delayed by seconds could drop it.
    open(url, { silenceMs: 2_000 });
    await new Promise((r) => setTimeout(r, 2_500));
    expect(requests.length).toBe(1);
  });

  it("wake() connects at once instead of waiting out the backoff", async () => {
    const { url, requests } = await serve((_req, res, n) => {
      if (n === 1) {
        res.writeHead(502);
        res.end();
      } else sse(res);
    });
    const { s, statuses } = open(url, { baseDelayMs: 60_000, maxDelayMs: 60_000 });
    await until(() => statuses.some((x) => x.kind === "reconnecting"), "a scheduled retry");
    s.wake();
    await until(() => statuses.at(-1)?.kind === "open", "open after wake");
    expect(requests.length).toBe(2);
  });

  it("wake() leaves a stream that is alive alone", async () => {
    const { url, requests } = await serve((_req, res) => sse(res));
    const { s, statuses } = open(url);
    await until(() => statuses.at(-1)?.kind === "open", "open");
    s.wake();
    await new Promise((r) => setTimeout(r, 100));
    expect(requests.length).toBe(1);
  });

  it("wake() replaces a stream that has been quiet since before the phone slept", async () => {
    let t = 0;
    const { url, requests } = await serve((_req, res) => sse(res));
    const { s, statuses } = open(url, { now: () => t, silenceMs: 60_000 });
    await until(() => statuses.at(-1)?.kind === "open", "open");
    t = 61_000;
    s.wake();
    await until(() => requests.length === 2, "a fresh connection");
  });

  it("close() ends the stream and nothing reconnects", async () => {
    const { url, requests } = await serve((_req, res) => sse(res));
    const { s, statuses } = open(url);
    await until(() => statuses.at(-1)?.kind === "open", "open");
    s.close();
    await new Promise((r) => setTimeout(r, 150));
    expect(requests.length).toBe(1);
    expect(statuses.at(-1)?.kind).toBe("open");
  });
});

describe("retry delays", () => {
  it("double per attempt and stop at the cap", () => {
    const d = (a: number) => retryDelay(a, 500, 15_000, () => 1);
    expect([1, 2, 3, 4, 5, 6, 7].map(d)).toEqual([500, 1000, 2000, 4000, 8000, 15000, 15000]);
  });

  it("are spread between half and all of the step so phones do not reconnect together", () => {
    expect(retryDelay(3, 500, 15_000, () => 0)).toBe(1000);
    expect(retryDelay(3, 500, 15_000, () => 0.5)).toBe(1500);
  });
});
