/**
 * A real HTTP server on 127.0.0.1 that serves route handlers (Web Request → Response), so
 * API tests go through real sockets, real headers and real streaming without a Next build.
 * The e2e suite covers the same routes under `next start`.
 */
import http from "node:http";
import type { AddressInfo } from "node:net";
// @ts-expect-error plain ESM script without types
import { answerMalformed, malformedTarget } from "../scripts/bad-path.mjs";
// @ts-expect-error plain ESM script without types
import { answerBeforeClosing } from "../scripts/early-answer.mjs";
// @ts-expect-error plain ESM script without types
import { stampRequest } from "../scripts/forwarding.mjs";

export type Handler = (req: Request, ctx: { params: Promise<Record<string, string>> }) => Promise<Response> | Response;

/** Routes keyed "METHOD /path/:param". */
export type Routes = Record<string, Handler>;

/**
 * The request body as Next 16 hands it to a route handler (next/dist/server/body-streams.js
 * `requestToBodyStream`): chunks are enqueued as they arrive, and a cancelled reader ends the
 * upload only when the next chunk comes. Readable.toWeb would instead destroy the socket at
 * once, which no route sees in production.
 */
function bodyStream(req: http.IncomingMessage): ReadableStream<Uint8Array> {
  return new ReadableStream<Uint8Array>({
    start: async (controller) => {
      for await (const chunk of req) controller.enqueue(new Uint8Array(chunk as Buffer));
      controller.close();
    },
  });
}

function match(pattern: string, pathname: string): Record<string, string> | null {
  const a = pattern.split("/").filter(Boolean);
  const b = pathname.split("/").filter(Boolean);
  if (a.length !== b.length) return null;
  const params: Record<string, string> = {};
  for (let i = 0; i < a.length; i++) {
    if (a[i].startsWith(":")) params[a[i].slice(1)] = decodeURIComponent(b[i]);
    else if (a[i] !== b[i]) return null;
  }
  return params;
}

/**
 * `trustProxy` is what TRUST_PROXY would be: the request goes through the production server's
 * own first steps (scripts/serve.mjs: socket address stamped, untrusted forwarded headers
 * dropped, a refused upload answered before its socket closes, undecodable paths answered
 * 400) before it reaches the route.
 */
export async function serveRoutes(routes: Routes, opts: { trustProxy?: number } = {}): Promise<{ url: string; close: () => Promise<void> }> {
  const server = http.createServer(async (req, res) => {
    stampRequest(req, opts.trustProxy ?? 0);
    answerBeforeClosing(req, res);
    const bad = malformedTarget(req.url);
    if (bad) return answerMalformed(req, res, bad);
    const url = new URL(req.url ?? "/", `http://${req.headers.host}`);
    let handler: Handler | undefined;
    let params: Record<string, string> = {};
    let pathKnown = false;
    for (const [key, h] of Object.entries(routes)) {
      const [method, pattern] = key.split(" ");
      const p = match(pattern, url.pathname);
      if (!p) continue;
      pathKnown = true;
      if (method === req.method) {
        handler = h;
        params = p;
        break;
      }
    }
    if (!handler) {
      res.writeHead(pathKnown ? 405 : 404, { "content-type": "application/json" });
      res.end(JSON.stringify({ error: { code: pathKnown ? "method_not_allowed" : "not_found", message: "no route" } }));
      return;
    }
    const controller = new AbortController();
    res.on("close", () => {
      if (!res.writableFinished) controller.abort();
    });
    const headers = new Headers();
    for (const [k, v] of Object.entries(req.headers)) {
      if (Array.isArray(v)) v.forEach((x) => headers.append(k, x));
      else if (v !== undefined) headers.set(k, v);
    }
    const hasBody = req.method !== "GET" && req.method !== "HEAD";
    const request = new Request(url, {
      method: req.method,
      headers,
      body: hasBody ? bodyStream(req) : undefined,
      signal: controller.signal,
      // @ts-expect-error Node's fetch needs this for streamed request bodies.
      duplex: "half",
    });
    try {
      const response = await handler(request, { params: Promise.resolve(params) });
      res.writeHead(response.status, Object.fromEntries(response.headers));
      if (!response.body) return void res.end();
      const reader = response.body.getReader();
      controller.signal.addEventListener("abort", () => void reader.cancel().catch(() => {}));
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        res.write(value);
      }
      res.end();
    } catch (err) {
      if (!res.headersSent) res.writeHead(500, { "content-type": "text/plain" });
      res.end(String(err));
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
