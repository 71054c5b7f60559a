// The production server: Next's request handler behind a cache of immutable shared-run pages
// (see page-cache.mjs). `npm start` runs it after building.
import http from "node:http";
import path from "node:path";
import { fileURLToPath } from "node:url";
import next from "next";
import { PageCache, withPageCache } from "./page-cache.mjs";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const port = Number(process.env.PORT || 3000);
const hostname = process.env.HOSTNAME_BIND || undefined;

const app = next({ dev: false, dir: root, port, hostname: hostname ?? "localhost" });
await app.prepare();
const handle = app.getRequestHandler();
const server = http.createServer(withPageCache((req, res) => handle(req, res), new PageCache()));
server.listen(port, hostname, () => {
  console.log(`cwm-playground ready on http://${hostname ?? "localhost"}:${port}`);
});
for (const sig of ["SIGINT", "SIGTERM"]) process.on(sig, () => server.close(() => process.exit(0)));
