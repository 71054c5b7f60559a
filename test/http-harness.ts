/**
 * A real HTTP server on 127.0.0.1 that serves route handlers (Web Request → Response), so
 * API tests go through real sockets, real headers and real streaming without a Next build.
 * The e2e suite covers the same routes under `next start`.
 */
import http from "node:http";
import type { AddressInfo } from "node:net";
import { Readable } from "node:stream";

export type Handler = (req: Request, ctx: { params: Promise<Record<string, string>> }) => Promise<Response> | Response;

/** Routes keyed "METHOD /path/:param". */
export type Routes = Record<string, Handler>;

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

export async function serveRoutes(routes: Routes): Promise<{ url: string; close: () => Promise<void> }> {
  const server = http.createServer(async (req, res) => {
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
      body: hasBody ? (Readable.toWeb(req) as unknown as ReadableStream<Uint8Array>) : undefined,
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
