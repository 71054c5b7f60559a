/**
 * The HTTP response that serves the executor worker script with its own CSP (see
 * spec/architecture.md, "Security model"). Kept out of the route file so tests can call it.
 */
import "server-only";
import fs from "node:fs/promises";
import path from "node:path";
import { z } from "zod";

export const WORKER_FILE = "worker.js";

/** Where scripts/prepare-assets.mjs bundles the worker (not public/: see there). */
export function workerBundlePath(root: string = process.cwd()): string {
  return path.join(root, ".executor", WORKER_FILE);
}

/** The origin the browser used, honouring a reverse proxy's X-Forwarded-Proto/Host. */
export function requestOrigin(req: Request): string {
  const url = new URL(req.url);
  const proto = firstValue(req.headers.get("x-forwarded-proto"))?.toLowerCase();
  const host = firstValue(req.headers.get("x-forwarded-host")) ?? req.headers.get("host") ?? url.host;
  const scheme = proto === "http" || proto === "https" ? proto : url.protocol.replace(/:$/, "");
  // A Host header is client-controlled: keep only characters a host[:port] can hold, so the
  // value cannot add directives to the policy.
  const safeHost = /^[A-Za-z0-9.\-:[\]]+$/.test(host) ? host : url.host;
  return `${scheme}://${safeHost}`;
}

function firstValue(v: string | null): string | undefined {
  const first = v?.split(",")[0]?.trim();
  return first ? first : undefined;
}

/** Where prepare-assets put the versioned interpreter assets (written next to the bundle). */
export const ExecutorAssets = z.object({ pyodide: z.string().regex(/^\/pyodide\/[\w.-]+\/$/), snapshot: z.string().nullable() }).strict();
export type ExecutorAssets = z.infer<typeof ExecutorAssets>;

export function assetsManifestPath(root: string = process.cwd()): string {
  return path.join(root, ".executor", "assets.json");
}

/** The worker may fetch only the interpreter's own versioned directory. */
export function workerCsp(origin: string, pyodideBase = "/pyodide/"): string {
  return `default-src 'none'; script-src 'self' 'wasm-unsafe-eval'; connect-src ${origin}${pyodideBase}`;
}

export async function workerResponse(req: Request, file: string, root?: string): Promise<Response> {
  if (file !== WORKER_FILE) {
    return Response.json({ error: { code: "not_found", message: `no executor file "${file}"` } }, { status: 404 });
  }
  let body: Buffer;
  let etag: string;
  let assets: ExecutorAssets;
  try {
    assets = ExecutorAssets.parse(JSON.parse(await fs.readFile(assetsManifestPath(root), "utf8")));
    const file = workerBundlePath(root);
    const st = await fs.stat(file);
    // The bundle changes only when prepare-assets rebuilds it: size + mtime identify it.
    etag = `W/"${st.size.toString(36)}-${Math.floor(st.mtimeMs).toString(36)}"`;
    if (req.headers.get("if-none-match") === etag) {
      return new Response(null, { status: 304, headers: { etag, "cache-control": "no-cache" } });
    }
    body = await fs.readFile(file);
  } catch {
    return Response.json(
      { error: { code: "unavailable", message: "the executor worker is not built; run `npm run prepare-assets`" } },
      { status: 503 },
    );
  }
  return new Response(new Uint8Array(body), {
    status: 200,
    headers: {
      "content-type": "text/javascript; charset=utf-8",
      "content-security-policy": workerCsp(requestOrigin(req), assets.pyodide),
      "x-content-type-options": "nosniff",
      "cache-control": "no-cache",
      etag,
      "cross-origin-resource-policy": "same-origin",
      // The pages are cross-origin isolated (so Stop can signal the worker through shared
      // memory); a worker they start must declare the same embedder policy.
      "cross-origin-embedder-policy": "require-corp",
    },
  });
}
