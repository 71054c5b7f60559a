import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { serveRoutes } from "@/test/http-harness";
import { GET } from "@/app/executor/[file]/route";
import { workerCsp, workerResponse } from "@/lib/executor/worker-response";

let server: { url: string; close: () => Promise<void> };
const emptyRoot = fs.mkdtempSync(path.join(os.tmpdir(), "cwm-no-worker-"));
const builtRoot = fs.mkdtempSync(path.join(os.tmpdir(), "cwm-worker-root-"));
fs.mkdirSync(path.join(builtRoot, ".executor"));
fs.writeFileSync(path.join(builtRoot, ".executor/worker.js"), "self.onmessage = () => {};\n");

beforeAll(async () => {
  server = await serveRoutes({
    "GET /executor/:file": (req, ctx) => GET(req, ctx as { params: Promise<{ file: string }> }),
    "GET /built/:file": async (req, ctx) => workerResponse(req, (await ctx.params).file, builtRoot),
    "GET /unbuilt/:file": async (req, ctx) => workerResponse(req, (await ctx.params).file, emptyRoot),
  });
});
afterAll(async () => {
  await server?.close();
  fs.rmSync(emptyRoot, { recursive: true, force: true });
  fs.rmSync(builtRoot, { recursive: true, force: true });
});

describe("executor worker route", () => {
  it("serves the worker as JavaScript with a CSP naming the request's origin", async () => {
    const res = await fetch(`${server.url}/built/worker.js`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("text/javascript; charset=utf-8");
    expect(res.headers.get("content-security-policy")).toBe(
      `default-src 'none'; script-src 'self' 'wasm-unsafe-eval'; connect-src ${server.url}/pyodide/`,
    );
    expect(res.headers.get("x-content-type-options")).toBe("nosniff");
    expect(await res.text()).toBe("self.onmessage = () => {};\n");
  });

  it("honours X-Forwarded-Proto and X-Forwarded-Host", async () => {
    const res = await fetch(`${server.url}/built/worker.js`, {
      headers: { "x-forwarded-proto": "https", "x-forwarded-host": "play.example.org, proxy.internal" },
    });
    expect(res.headers.get("content-security-policy")).toContain("connect-src https://play.example.org/pyodide/");
  });

  it("does not let a crafted Host header add directives", async () => {
    const res = await fetch(`${server.url}/built/worker.js`, { headers: { "x-forwarded-host": "evil.org; script-src *" } });
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

  it("builds the policy without unsafe-eval", () => {
    expect(workerCsp("http://x")).not.toContain("'unsafe-eval'");
    expect(workerCsp("http://x")).toContain("'wasm-unsafe-eval'");
  });
});
