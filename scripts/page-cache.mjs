// An in-memory cache of whole HTML answers for pages that never change (shared runs), so a
// class of thirty opening one link is answered from memory after the first visitor. Only
// plain document requests are cached: no query string, no React Server Component fetch.

const CACHEABLE = /^\/(?:r|embed)\/[A-Za-z0-9_-]{16,64}$/;

export function cacheKeyOf(req) {
  if (req.method !== "GET" && req.method !== "HEAD") return null;
  const url = req.url ?? "";
  if (url.includes("?") || !CACHEABLE.test(url)) return null;
  const h = req.headers;
  if (h.rsc || h["next-router-prefetch"] || h["next-router-state-tree"] || h["next-action"]) return null;
  return url;
}

export class PageCache {
  constructor(maxBytes = 64 * 1024 * 1024) {
    this.maxBytes = maxBytes;
    this.bytes = 0;
    this.entries = new Map();
  }

  get(key) {
    const e = this.entries.get(key);
    if (!e) return null;
    // Most recently used last: Map iteration order is insertion order.
    this.entries.delete(key);
    this.entries.set(key, e);
    return e;
  }

  set(key, entry) {
    const size = entry.body.length;
    if (size > this.maxBytes / 8) return;
    const old = this.entries.get(key);
    if (old) {
      this.bytes -= old.body.length;
      this.entries.delete(key);
    }
    this.entries.set(key, entry);
    this.bytes += size;
    for (const [k, e] of this.entries) {
      if (this.bytes <= this.maxBytes) break;
      this.entries.delete(k);
      this.bytes -= e.body.length;
    }
  }
}

/** Headers that describe the connection, not the page; they are not replayed. */
const HOP = new Set(["connection", "keep-alive", "transfer-encoding", "date", "set-cookie"]);

/**
 * Wraps a Node request handler: serves cached pages, and records a page the first time the
 * handler answers it with 200 (headers and body as sent).
 */
export function withPageCache(handler, cache = new PageCache()) {
  return (req, res) => {
    const key = cacheKeyOf(req);
    if (!key) return handler(req, res);
    // Next compresses for clients that accept it; each encoding of a page is its own entry.
    const accepted = String(req.headers["accept-encoding"] ?? "");
    let hit = null;
    for (const enc of ["br", "gzip", "deflate"]) if (!hit && accepted.includes(enc)) hit = cache.get(`${key}|${enc}`);
    hit ??= cache.get(`${key}|identity`);
    if (hit) {
      res.writeHead(200, { ...hit.headers, "x-page-cache": "hit", "content-length": String(hit.body.length) });
      res.end(req.method === "HEAD" ? undefined : hit.body);
      return;
    }
    if (req.method === "HEAD") return handler(req, res);
    const chunks = [];
    const write = res.write.bind(res);
    const end = res.end.bind(res);
    res.write = (chunk, ...rest) => {
      if (chunk) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk, typeof rest[0] === "string" ? rest[0] : "utf8"));
      return write(chunk, ...rest);
    };
    res.end = (chunk, ...rest) => {
      if (chunk && typeof chunk !== "function") chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk, typeof rest[0] === "string" ? rest[0] : "utf8"));
      const type = String(res.getHeader("content-type") ?? "");
      const encoding = String(res.getHeader("content-encoding") ?? "identity");
      if (res.statusCode === 200 && type.startsWith("text/html")) {
        const headers = {};
        for (const [k, v] of Object.entries(res.getHeaders())) if (!HOP.has(k) && k !== "content-length") headers[k] = v;
        cache.set(`${key}|${encoding}`, { headers, body: Buffer.concat(chunks) });
      }
      return end(chunk, ...rest);
    };
    return handler(req, res);
  };
}
