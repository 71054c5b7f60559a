import http from "node:http";
import type { AddressInfo } from "node:net";
import zlib from "node:zlib";
import { afterEach, describe, expect, it } from "vitest";
// @ts-expect-error plain ESM script without types
import { PageCache, cacheKeyOf, pickEncoding, withPageCache } from "../scripts/page-cache.mjs";

const ID = "AbCdEfGhIjKlMnOp";
let close: (() => Promise<void>) | null = null;
const PAGE_BODY = `<html>${"<div class=row>s += i</div>".repeat(2000)}</html>`;

async function serve(
  opts: { status?: number; writeHead?: boolean; cache?: unknown } = {},
): Promise<{ url: string; calls: () => number; seenEncodings: string[] }> {
  let calls = 0;
  const seenEncodings: string[] = [];
  const inner = (req: http.IncomingMessage, res: http.ServerResponse) => {
    calls++;
    seenEncodings.push(String(req.headers["accept-encoding"] ?? ""));
    const status = req.url?.startsWith("/r/missing") ? 404 : (opts.status ?? 200);
    const headers = { "content-type": "text/html; charset=utf-8", "content-security-policy": "default-src 'self'" };
    if (opts.writeHead) res.writeHead(status, headers);
    else {
      res.statusCode = status;
      for (const [k, v] of Object.entries(headers)) res.setHeader(k, v);
    }
    res.write(`<!-- ${req.url} render ${calls} -->`);
    res.end(PAGE_BODY);
  };
  const server = http.createServer(withPageCache(inner, opts.cache ?? new PageCache(1024 * 1024)));
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  close = () => new Promise<void>((r) => server.close(() => r()));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, calls: () => calls, seenEncodings };
}

/** A raw GET (fetch would decompress): status, headers and the bytes as sent. */
function get(url: string, headers: Record<string, string> = {}, method = "GET"): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: Buffer }> {
  return new Promise((resolve, reject) => {
    http
      .request(url, { method, headers, agent: false }, (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
      })
      .on("error", reject)
      .end();
  });
}

afterEach(async () => {
  await close?.();
  close = null;
});

describe("page cache of shared runs", () => {
  it("renders a shared run once and answers the next visitors from memory with the same headers", async () => {
    const s = await serve();
    const first = await get(`${s.url}/r/${ID}`, { "accept-encoding": "identity" });
    const second = await get(`${s.url}/r/${ID}`, { "accept-encoding": "identity" });
    expect(second.body.equals(first.body)).toBe(true);
    expect([first.headers["x-page-cache"], second.headers["x-page-cache"]]).toEqual(["miss", "hit"]);
    expect(second.headers["content-security-policy"]).toBe("default-src 'self'");
    expect(s.calls()).toBe(1);
  });

  it("holds a page written with writeHead as well as with setHeader", async () => {
    const s = await serve({ writeHead: true });
    const first = await get(`${s.url}/r/${ID}`);
    expect(first.status).toBe(200);
    expect(first.headers["content-type"]).toBe("text/html; charset=utf-8");
    expect(first.body.toString()).toContain(PAGE_BODY);
  });

  it("never caches a failed page, a query, a React Server Component fetch or another path", async () => {
    const s = await serve();
    for (let i = 0; i < 2; i++) {
      expect((await get(`${s.url}/r/missing${"x".repeat(12)}`)).status).toBe(404);
      await get(`${s.url}/r/${ID}?_rsc=1`);
      await get(`${s.url}/r/${ID}`, { rsc: "1" });
      await get(`${s.url}/api/runs/${ID}`);
    }
    expect(s.calls()).toBe(8);
  });

  it("passes a failed page through whole, status and body", async () => {
    const s = await serve({ status: 500 });
    const res = await get(`${s.url}/r/${ID}`, { "accept-encoding": "br" });
    expect(res.status).toBe(500);
    expect(res.headers["content-encoding"]).toBeUndefined();
    expect(res.body.toString()).toContain(PAGE_BODY);
  });

  it("keys pages by path only for plain GET and HEAD requests", () => {
    const req = (method: string, url: string, headers: Record<string, string> = {}) => ({ method, url, headers });
    expect(cacheKeyOf(req("GET", `/embed/${ID}`))).toBe(`/embed/${ID}`);
    expect(cacheKeyOf(req("POST", `/r/${ID}`))).toBeNull();
    expect(cacheKeyOf(req("GET", "/r/short"))).toBeNull();
    expect(cacheKeyOf(req("GET", `/r/${ID}`, { "next-router-prefetch": "1" }))).toBeNull();
  });

  it("answers HEAD from the cache with the headers and no body", async () => {
    const s = await serve();
    await get(`${s.url}/r/${ID}`);
    const head = await get(`${s.url}/r/${ID}`, { "accept-encoding": "gzip" }, "HEAD");
    expect([head.status, head.headers["x-page-cache"], head.headers["content-encoding"], head.body.length]).toEqual([200, "hit", "gzip", 0]);
  });
});

describe("compression", () => {
  it("answers brotli to a client that accepts it, smaller and identical once decoded", async () => {
    const s = await serve();
    const res = await get(`${s.url}/r/${ID}`, { "accept-encoding": "gzip, deflate, br" });
    expect(res.headers["content-encoding"]).toBe("br");
    expect(res.headers.vary).toMatch(/accept-encoding/i);
    expect(Number(res.headers["content-length"])).toBe(res.body.length);
    const page = zlib.brotliDecompressSync(res.body).toString();
    expect(page).toContain(PAGE_BODY);
    expect(res.body.length * 10).toBeLessThan(page.length);
  });

  it("answers gzip to a client that accepts only gzip", async () => {
    const s = await serve();
    const res = await get(`${s.url}/embed/${ID}`, { "accept-encoding": "gzip" });
    expect(res.headers["content-encoding"]).toBe("gzip");
    expect(zlib.gunzipSync(res.body).toString()).toContain(PAGE_BODY);
  });

  it("answers identity to a client that refuses both", async () => {
    const s = await serve();
    const res = await get(`${s.url}/r/${ID}`, { "accept-encoding": "br;q=0, gzip;q=0" });
    expect(res.headers["content-encoding"]).toBeUndefined();
    expect(res.body.toString()).toContain(PAGE_BODY);
  });

  it("renders once for every encoding, each served from its own entry", async () => {
    const s = await serve();
    const cacheStates: unknown[] = [];
    for (const enc of ["br", "gzip", "identity", "br", "gzip"])
      cacheStates.push((await get(`${s.url}/r/${ID}`, { "accept-encoding": enc })).headers["x-page-cache"]);
    expect(cacheStates).toEqual(["miss", "hit", "hit", "hit", "hit"]);
    expect(s.calls()).toBe(1);
  });

  it("asks the page renderer for identity, so pages are compressed once, here", async () => {
    const s = await serve();
    await get(`${s.url}/r/${ID}`, { "accept-encoding": "br, gzip" });
    expect(s.seenEncodings).toEqual([""]);
  });

  it("picks br, then gzip, honouring q=0 and *", () => {
    expect(pickEncoding("gzip, deflate, br")).toBe("br");
    expect(pickEncoding("gzip")).toBe("gzip");
    expect(pickEncoding("br;q=0, gzip")).toBe("gzip");
    expect(pickEncoding("*")).toBe("br");
    expect(pickEncoding("*, br;q=0")).toBe("gzip");
    expect(pickEncoding("")).toBe("identity");
    expect(pickEncoding(undefined)).toBe("identity");
  });
});

describe("bounds", () => {
  it("evicts the least recently used pages beyond its size in bytes", () => {
    const c = new PageCache(100);
    c.set("a", { headers: {}, body: Buffer.alloc(10) });
    c.set("b", { headers: {}, body: Buffer.alloc(10) });
    c.get("b");
    for (let i = 0; i < 10; i++) c.set(`k${i}`, { headers: {}, body: Buffer.alloc(10) });
    expect(c.get("a")).toBeNull();
    expect(c.bytes).toBeLessThanOrEqual(100);
  });

  it("counts headers too, and never keeps a page over an eighth of the cache", () => {
    const c = new PageCache(800);
    c.set("big", { headers: {}, body: Buffer.alloc(101) });
    expect(c.get("big")).toBeNull();
    c.set("headers", { headers: { "x-long": "y".repeat(90) }, body: Buffer.alloc(10) });
    expect(c.get("headers")).toBeNull();
    c.set("small", { headers: {}, body: Buffer.alloc(100) });
    expect(c.get("small")).not.toBeNull();
  });

  it("serves a page too big to keep, rendering it again next time", async () => {
    const s = await serve({ cache: new PageCache(8 * 1024) });
    for (let i = 0; i < 2; i++) {
      const res = await get(`${s.url}/r/${ID}`, { "accept-encoding": "identity" });
      expect(res.body.toString()).toContain(PAGE_BODY);
    }
    expect(s.calls()).toBe(2);
  });
});
