// An in-memory cache of whole HTML answers for pages that never change (shared runs), so a
// class of thirty opening one link is answered from memory after the first visitor. Only
// plain document requests are cached: no query string, no React Server Component fetch. Next
// renders these pages dynamically (nothing goes to its on-disk cache); this cache is the only
// one, bounded in bytes, and a page that is not a 200 (an unknown id) is never kept.
//
// Shared pages are compressed here (brotli or gzip, as the client accepts), once per
// encoding: a 10,000-frame page is ~1 MB of HTML and compresses about tenfold.
import { promisify } from "node:util";
import zlib from "node:zlib";
import { LRUCache } from "lru-cache";

const CACHEABLE = /^\/(?:r|embed)\/[A-Za-z0-9_-]{16,64}$/;

export function cacheKeyOf(req) {
  if (req.method !== "GET" && req.method !== "HEAD") return null;
  const url = req.url ?? "";
  if (url.includes("?") || !CACHEABLE.test(url)) return null;
  const h = req.headers;
  if (h.rsc || h["next-router-prefetch"] || h["next-router-state-tree"] || h["next-action"]) return null;
  return url;
}

/**
 * The best encoding the client accepts: br, then gzip, else identity. `q=0` refuses one; a
 * bare `*` accepts any.
 */
export function pickEncoding(acceptEncoding) {
  const q = new Map();
  for (const part of String(acceptEncoding ?? "")
    .toLowerCase()
    .split(",")) {
    const [name, ...params] = part.split(";").map((s) => s.trim());
    if (!name) continue;
    const qp = params.find((p) => p.startsWith("q="));
    const value = qp ? Number(qp.slice(2)) : 1;
    q.set(name, Number.isFinite(value) ? value : 0);
  }
  const accepts = (enc) => (q.has(enc) ? q.get(enc) > 0 : (q.get("*") ?? 0) > 0);
  for (const enc of ["br", "gzip"]) if (accepts(enc)) return enc;
  return "identity";
}

const brotli = promisify(zlib.brotliCompress);
const gzip = promisify(zlib.gzip);

export async function encode(body, encoding) {
  if (encoding === "br") {
    return brotli(body, {
      params: {
        [zlib.constants.BROTLI_PARAM_QUALITY]: 9,
        [zlib.constants.BROTLI_PARAM_MODE]: zlib.constants.BROTLI_MODE_TEXT,
        [zlib.constants.BROTLI_PARAM_SIZE_HINT]: body.length,
      },
    });
  }
  if (encoding === "gzip") return gzip(body, { level: 9 });
  return body;
}

const headerBytes = (headers) => Object.entries(headers).reduce((n, [k, v]) => n + k.length + String(v).length + 4, 0);

export class PageCache {
  /** `maxBytes` bounds bodies and headers together; one page may use at most an eighth of it. */
  constructor(maxBytes = 64 * 1024 * 1024) {
    this.maxBytes = maxBytes;
    this.lru = new LRUCache({
      maxSize: maxBytes,
      maxEntrySize: Math.max(1, Math.floor(maxBytes / 8)),
      sizeCalculation: (e) => Math.max(1, e.body.length + headerBytes(e.headers)),
    });
  }

  get(key) {
    return this.lru.get(key) ?? null;
  }

  set(key, entry) {
    this.lru.set(key, entry);
  }

  get bytes() {
    return this.lru.calculatedSize;
  }
}

/** Headers that describe the connection or the encoding, not the page; they are not replayed. */
const HOP = new Set(["connection", "keep-alive", "transfer-encoding", "date", "set-cookie", "content-length", "content-encoding", "vary"]);

/**
 * Holds back everything the handler writes (status, headers, body) and resolves with it when
 * the handler ends, instead of sending it: the page is compressed and cached first.
 */
function hold(res) {
  const chunks = [];
  const real = { writeHead: res.writeHead, write: res.write, end: res.end, flushHeaders: res.flushHeaders };
  const toBuffer = (chunk, enc) =>
    Buffer.isBuffer(chunk) ? chunk : chunk instanceof Uint8Array ? Buffer.from(chunk) : Buffer.from(String(chunk), typeof enc === "string" ? enc : "utf8");
  return new Promise((resolve) => {
    res.writeHead = (status, reason, headers) => {
      const h = typeof reason === "string" ? headers : reason;
      res.statusCode = status;
      if (Array.isArray(h)) for (let i = 0; i + 1 < h.length; i += 2) res.setHeader(h[i], h[i + 1]);
      else if (h) for (const [k, v] of Object.entries(h)) if (v !== undefined) res.setHeader(k, v);
      return res;
    };
    res.flushHeaders = () => {};
    res.write = (chunk, enc, cb) => {
      if (chunk != null && typeof chunk !== "function") chunks.push(toBuffer(chunk, enc));
      const done = [chunk, enc, cb].find((a) => typeof a === "function");
      if (done) process.nextTick(done);
      return true;
    };
    res.end = (chunk, enc, _cb) => {
      if (chunk != null && typeof chunk !== "function") chunks.push(toBuffer(chunk, enc));
      Object.assign(res, real);
      resolve(Buffer.concat(chunks));
      return res;
    };
  });
}

function send(req, res, status, headers, body, cacheState) {
  res.writeHead(status, { ...headers, "x-page-cache": cacheState, "content-length": String(body.length) });
  res.end(req.method === "HEAD" ? undefined : body);
}

/** The stored identity page in `encoding`, made (and cached) on first use. */
async function variant(cache, key, identity, encoding) {
  if (encoding === "identity") return identity;
  const cached = cache.get(`${key}|${encoding}`);
  if (cached) return cached;
  const entry = { headers: { ...identity.headers, "content-encoding": encoding, vary: "Accept-Encoding" }, body: await encode(identity.body, encoding) };
  cache.set(`${key}|${encoding}`, entry);
  return entry;
}

/**
 * Wraps a Node request handler: serves cached pages, and records a page the first time the
 * handler answers it with a 200 HTML page.
 */
export function withPageCache(handler, cache = new PageCache()) {
  return (req, res) => {
    const key = cacheKeyOf(req);
    if (!key) return handler(req, res);
    const encoding = pickEncoding(req.headers["accept-encoding"]);
    const withVary = (h) => ({ ...h, vary: "Accept-Encoding" });
    const stored = cache.get(`${key}|identity`);
    if (stored) {
      void variant(cache, key, stored, encoding)
        .then((v) => send(req, res, 200, withVary(v.headers), v.body, "hit"))
        .catch((err) => res.destroy(err));
      return;
    }
    if (req.method === "HEAD") return handler(req, res);
    // Next answers identity; this server compresses what it caches.
    delete req.headers["accept-encoding"];
    const held = hold(res);
    const out = handler(req, res);
    void held
      .then(async (body) => {
        const type = String(res.getHeader("content-type") ?? "");
        const already = res.getHeader("content-encoding");
        if (res.statusCode !== 200 || !type.startsWith("text/html") || already) {
          res.setHeader("content-length", String(body.length));
          res.end(body);
          return;
        }
        const headers = {};
        for (const [k, v] of Object.entries(res.getHeaders())) if (!HOP.has(k)) headers[k] = v;
        for (const k of Object.keys(res.getHeaders())) res.removeHeader(k);
        const identity = { headers, body };
        cache.set(`${key}|identity`, identity);
        const v = await variant(cache, key, identity, encoding);
        send(req, res, 200, withVary(v.headers), v.body, "miss");
      })
      .catch((err) => res.destroy(err));
    return out;
  };
}
