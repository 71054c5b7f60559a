// The production server: Next's request handler behind a cache of immutable shared-run pages
// (see page-cache.mjs). `npm start` runs it after building. Before Next sees a request, the
// socket's address is stamped on it and untrusted forwarded headers are dropped
// (forwarding.mjs), a refused upload is answered before its socket closes (early-answer.mjs),
// and a path that cannot be decoded is answered 400 (bad-path.mjs).
import http from "node:http";
import path from "node:path";
import { fileURLToPath } from "node:url";
import next from "next";
import { answerMalformed, malformedTarget } from "./bad-path.mjs";
import { answerBeforeClosing } from "./early-answer.mjs";
import { parseTrustProxy, stampRequest } from "./forwarding.mjs";
import { PageCache, withPageCache } from "./page-cache.mjs";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const port = Number(process.env.PORT || 3000);
const hostname = process.env.HOSTNAME_BIND || undefined;
let trustProxy;
try {
  trustProxy = parseTrustProxy(process.env.TRUST_PROXY);
} catch (err) {
  console.error(`cwm-playground: ${err.message}`);
  process.exit(1);
}
const pageCacheMb = Number(process.env.PAGE_CACHE_MB || 64);
if (!(pageCacheMb > 0)) {
  console.error(`cwm-playground: PAGE_CACHE_MB must be a positive number of MiB (got ${JSON.stringify(process.env.PAGE_CACHE_MB)})`);
  process.exit(1);
}
const pageCacheBytes = Math.floor(pageCacheMb * 1024 * 1024);

const app = next({ dev: false, dir: root, port, hostname: hostname ?? "localhost" });
await app.prepare();
const handle = app.getRequestHandler();
const pages = withPageCache((req, res) => handle(req, res), new PageCache(pageCacheBytes));
const server = http.createServer((req, res) => {
  stampRequest(req, trustProxy);
  answerBeforeClosing(req, res);
  const bad = malformedTarget(req.url);
  if (bad) return answerMalformed(req, res, bad);
  return pages(req, res);
});
server.listen(port, hostname, () => {
  console.log(`cwm-playground ready on http://${hostname ?? "localhost"}:${port}`);
});
for (const sig of ["SIGINT", "SIGTERM"]) process.on(sig, () => server.close(() => process.exit(0)));
