import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { serveRoutes } from "@/test/http-harness";
import { GET } from "@/app/executor/[file]/route";
import { getPathMatch } from "next/dist/shared/lib/router/utils/path-match";
import nextConfig from "@/next.config";
import { ExecutorAssets, assetsManifestPath, workerCsp, workerResponse } from "@/lib/executor/worker-response";
import { repoRoot } from "./helpers";

let server: { url: string; close: () => Promise<void> };
/** The same route behind one trusted proxy (TRUST_PROXY=1). */
let proxied: { url: string; close: () => Promise<void> };
const emptyRoot = fs.mkdtempSync(path.join(os.tmpdir(), "cwm-no-worker-"));
const builtRoot = fs.mkdtempSync(path.join(os.tmpdir(), "cwm-worker-root-"));
fs.mkdirSync(path.join(builtRoot, ".executor"));
fs.writeFileSync(path.join(builtRoot, ".executor/worker.js"), "self.onmessage = () => {};\n");
const PYODIDE_BASE = "/pyodide/314.0.7-0123456789ab/";
fs.writeFileSync(assetsManifestPath(builtRoot), JSON.stringify({ pyodide: PYODIDE_BASE, snapshot: `${PYODIDE_BASE}snapshot-00.bin.gz` }));
// A bundle without its manifest, and one whose manifest tries to widen the policy.
const noManifestRoot = fs.mkdtempSync(path.join(os.tmpdir(), "cwm-worker-nomanifest-"));
fs.mkdirSync(path.join(noManifestRoot, ".executor"));
fs.writeFileSync(path.join(noManifestRoot, ".executor/worker.js"), "self.onmessage = () => {};\n");
const hostileRoot = fs.mkdtempSync(path.join(os.tmpdir(), "cwm-worker-hostile-"));
fs.mkdirSync(path.join(hostileRoot, ".executor"));
fs.writeFileSync(path.join(hostileRoot, ".executor/worker.js"), "self.onmessage = () => {};\n");
fs.writeFileSync(assetsManifestPath(hostileRoot), JSON.stringify({ pyodide: "/pyodide/x/ https://evil.example/", snapshot: null }));

beforeAll(async () => {
  server = await serveRoutes({
    "GET /executor/:file": (req, ctx) => GET(req, ctx as { params: Promise<{ file: string }> }),
    "GET /built/:file": async (req, ctx) => workerResponse(req, (await ctx.params).file, builtRoot),
    "GET /unbuilt/:file": async (req, ctx) => workerResponse(req, (await ctx.params).file, emptyRoot),
    "GET /nomanifest/:file": async (req, ctx) => workerResponse(req, (await ctx.params).file, noManifestRoot),
    "GET /hostile/:file": async (req, ctx) => workerResponse(req, (await ctx.params).file, hostileRoot),
  });
});
beforeAll(async () => {
  proxied = await serveRoutes({ "GET /built/:file": async (req, ctx) => workerResponse(req, (await ctx.params).file, builtRoot) }, { trustProxy: 1 });
});
afterAll(async () => {
  await server?.close();
  await proxied?.close();
  fs.rmSync(emptyRoot, { recursive: true, force: true });
  for (const dir of [builtRoot, noManifestRoot, hostileRoot]) fs.rmSync(dir, { recursive: true, force: true });
});

describe("executor worker route", () => {
  it("serves the worker as JavaScript with a CSP naming the request's origin and the interpreter's versioned directory", async () => {
    const res = await fetch(`${server.url}/built/worker.js`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("text/javascript; charset=utf-8");
    expect(res.headers.get("content-security-policy")).toBe(
      `default-src 'none'; script-src 'self' 'wasm-unsafe-eval'; connect-src ${server.url}${PYODIDE_BASE}`,
    );
    expect(res.headers.get("x-content-type-options")).toBe("nosniff");
    expect(await res.text()).toBe("self.onmessage = () => {};\n");
  });

  it("honours X-Forwarded-Proto and X-Forwarded-Host behind a trusted proxy", async () => {
    const res = await fetch(`${proxied.url}/built/worker.js`, {
      headers: { "x-forwarded-proto": "https", "x-forwarded-host": "play.example.org, proxy.internal" },
    });
    expect(res.headers.get("content-security-policy")).toContain(`connect-src https://play.example.org${PYODIDE_BASE}`);
  });

  it("ignores X-Forwarded-Host when no proxy is trusted", async () => {
    const res = await fetch(`${server.url}/built/worker.js`, { headers: { "x-forwarded-host": "play.example.org" } });
    expect(res.headers.get("content-security-policy")).toContain(`connect-src ${server.url}${PYODIDE_BASE}`);
  });

  it("does not let a crafted Host header add directives", async () => {
    const res = await fetch(`${proxied.url}/built/worker.js`, { headers: { "x-forwarded-host": "evil.org; script-src *" } });
    const csp = res.headers.get("content-security-policy")!;
    expect(csp).not.toContain("evil.org");
    expect(csp.split(";")).toHaveLength(3);
  });

  it("answers 304 to a matching If-None-Match", async () => {
    const first = await fetch(`${server.url}/built/worker.js`);
    const etag = first.headers.get("etag")!;
    expect(etag).toMatch(/^W\/"/);
    const again = await fetch(`${server.url}/built/worker.js`, { headers: { "if-none-match": etag } });
    expect(again.status).toBe(304);
  });

  it("answers 404 for any other file name", async () => {
    const res = await fetch(`${server.url}/built/other.js`);
    expect(res.status).toBe(404);
    expect((await res.json()).error.code).toBe("not_found");
  });

  it("answers 503 with a hint when the bundle is missing", async () => {
    const res = await fetch(`${server.url}/unbuilt/worker.js`);
    expect(res.status).toBe(503);
    expect((await res.json()).error.message).toContain("npm run prepare-assets");
  });

  it("serves the bundle that prepare-assets built, through the app route", async () => {
    const bundle = path.resolve(__dirname, "../../../.executor/worker.js");
    const res = await fetch(`${server.url}/executor/worker.js`);
    if (!fs.existsSync(bundle)) {
      expect(res.status).toBe(503);
      return;
    }
    expect(res.status).toBe(200);
    expect(await res.text()).toBe(fs.readFileSync(bundle, "utf8"));
  });

  it("answers 503 when the bundle's asset manifest is missing", async () => {
    const res = await fetch(`${server.url}/nomanifest/worker.js`);
    expect(res.status).toBe(503);
    expect((await res.json()).error.message).toContain("npm run prepare-assets");
  });

  it("refuses a manifest whose interpreter path would add sources to the policy", async () => {
    const res = await fetch(`${server.url}/hostile/worker.js`);
    expect(res.status).toBe(503);
    expect(res.headers.get("content-security-policy")).toBeNull();
  });

  it("builds the policy without unsafe-eval", () => {
    expect(workerCsp("http://x")).not.toContain("'unsafe-eval'");
    expect(workerCsp("http://x")).toContain("'wasm-unsafe-eval'");
  });
});

describe("versioned interpreter assets", () => {
  async function headersFor(pathname: string): Promise<Record<string, string>> {
    const rules = (await nextConfig.headers?.()) ?? [];
    const out: Record<string, string> = {};
    for (const rule of rules) {
      if (getPathMatch(rule.source, { removeUnnamedParams: true, strict: true })(pathname) === false) continue;
      for (const h of rule.headers) out[h.key.toLowerCase()] = h.value;
    }
    return out;
  }

  it("serves files under /pyodide/<version>/ with immutable caching", async () => {
    for (const file of ["pyodide.asm.wasm", "pyodide.mjs", "python_stdlib.zip", "snapshot-0123.bin.gz"]) {
      expect((await headersFor(`${PYODIDE_BASE}${file}`))["cache-control"]).toBe("public, max-age=31536000, immutable");
    }
  });

  it("serves Monaco under /monaco/<version>/vs/ with immutable caching, and points the editor there", async () => {
    expect((await headersFor("/monaco/0.57.0/vs/editor/editor.main.js"))["cache-control"]).toBe("public, max-age=31536000, immutable");
    expect(nextConfig.env?.NEXT_PUBLIC_MONACO_VS).toMatch(/^\/monaco\/\d+\.\d+\.\d+[\w.-]*\/vs$/);
  });

  it("does not mark pages, the worker or unversioned paths immutable", async () => {
    for (const p of ["/", "/r/abc", "/executor/worker.js", "/pyodide/pyodide.mjs", "/monaco/vs/loader.js", "/api/runs"]) {
      expect((await headersFor(p))["cache-control"]).toBeUndefined();
    }
  });

  it("prepare-assets compiled the manifest's paths into the worker and the files exist", () => {
    const manifest = assetsManifestPath(repoRoot);
    if (!fs.existsSync(manifest)) return; // npm test runs prepare-assets first; a bare checkout has nothing to check
    const assets = ExecutorAssets.parse(JSON.parse(fs.readFileSync(manifest, "utf8")));
    const bundle = fs.readFileSync(path.join(repoRoot, ".executor/worker.js"), "utf8");
    expect(bundle).toContain(assets.pyodide);
    for (const file of ["pyodide.mjs", "pyodide.asm.mjs", "pyodide.asm.wasm", "python_stdlib.zip", "pyodide-lock.json"]) {
      expect(fs.existsSync(path.join(repoRoot, "public", assets.pyodide, file))).toBe(true);
    }
    expect(fs.existsSync(path.join(repoRoot, "public", nextConfig.env?.NEXT_PUBLIC_MONACO_VS ?? "-", "loader.js"))).toBe(true);
    if (assets.snapshot) {
      expect(bundle).toContain(assets.snapshot);
      expect(fs.existsSync(path.join(repoRoot, "public", assets.snapshot))).toBe(true);
    }
  });
});
