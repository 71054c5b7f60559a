import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
// @ts-expect-error plain ESM script without types
import { PageCache, cacheKeyOf, withPageCache } from "../scripts/page-cache.mjs";

const ID = "AbCdEfGhIjKlMnOp";
let close: (() => Promise<void>) | null = null;

async function serve(status = 200): Promise<{ url: string; calls: () => number }> {
  let calls = 0;
  const inner = (req: http.IncomingMessage, res: http.ServerResponse) => {
    calls++;
    res.statusCode = req.url?.startsWith("/r/missing") ? 404 : status;
    res.setHeader("content-type", "text/html; charset=utf-8");
    res.setHeader("content-security-policy", "default-src 'self'");
    res.write("<html>");
    res.end(`page ${req.url} render ${calls}</html>`);
  };
  const server = http.createServer(withPageCache(inner, new PageCache(1024 * 1024)));
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  close = () => new Promise<void>((r) => server.close(() => r()));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, calls: () => calls };
}

afterEach(async () => {
  await close?.();
  close = null;
});

describe("page cache of shared runs", () => {
  it("renders a shared run once and answers the next visitors from memory with the same headers", async () => {
    const s = await serve();
    const first = await fetch(`${s.url}/r/${ID}`, { headers: { "accept-encoding": "identity" } });
    const second = await fetch(`${s.url}/r/${ID}`, { headers: { "accept-encoding": "identity" } });
    expect(await second.text()).toBe(await first.text());
    expect(second.headers.get("x-page-cache")).toBe("hit");
    expect(second.headers.get("content-security-policy")).toBe("default-src 'self'");
    expect(s.calls()).toBe(1);
  });

  it("never caches a failed page, a query, a React Server Component fetch or another path", async () => {
    const s = await serve();
    for (let i = 0; i < 2; i++) {
      await fetch(`${s.url}/r/missing${"x".repeat(12)}`);
      await fetch(`${s.url}/r/${ID}?_rsc=1`);
      await fetch(`${s.url}/r/${ID}`, { headers: { rsc: "1" } });
      await fetch(`${s.url}/api/runs/${ID}`);
    }
    expect(s.calls()).toBe(8);
  });

  it("keys pages by path only for plain GET and HEAD requests", () => {
    const req = (method: string, url: string, headers: Record<string, string> = {}) => ({ method, url, headers });
    expect(cacheKeyOf(req("GET", `/embed/${ID}`))).toBe(`/embed/${ID}`);
    expect(cacheKeyOf(req("POST", `/r/${ID}`))).toBeNull();
    expect(cacheKeyOf(req("GET", "/r/short"))).toBeNull();
    expect(cacheKeyOf(req("GET", `/r/${ID}`, { "next-router-prefetch": "1" }))).toBeNull();
  });

  it("evicts the least recently used pages beyond its size", () => {
    const c = new PageCache(100);
    c.set("a", { headers: {}, body: Buffer.alloc(10) });
    c.set("b", { headers: {}, body: Buffer.alloc(10) });
    for (let i = 0; i < 10; i++) c.set(`k${i}`, { headers: {}, body: Buffer.alloc(10) });
    expect(c.get("a")).toBeNull();
    expect(c.bytes).toBeLessThanOrEqual(100);
  });
});
