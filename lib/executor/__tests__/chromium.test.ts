/**
 * The browser path for real: Chromium loads the worker that prepare-assets built from
 * workerResponse (with its CSP), the worker restores Pyodide's snapshot from the versioned
 * /pyodide/<version>/ directory, browser.ts drives it. Skipped when Chromium is absent.
 */
import { spawnSync } from "node:child_process";
import { build } from "esbuild";
import fs from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ExecutorAssets, assetsManifestPath, workerResponse } from "@/lib/executor/worker-response";
import { repoRoot } from "./helpers";

const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const hasChromium = fs.existsSync(CHROMIUM);

type Browser = import("playwright-core").Browser;
type Page = import("playwright-core").Page;

let server: http.Server;
let origin = "";
let browser: Browser;
let page: Page;
let root = "";
let assets: ExecutorAssets;
const requests: string[] = [];

/**
 * The worker bundle and the versioned assets exactly as `npm start` serves them. `npm test`
 * prepares them before any test runs; only a bare checkout has them made here (not every time:
 * other suites read the same files while this one runs).
 */
function prepareAssets(): ExecutorAssets {
  const read = () => ExecutorAssets.parse(JSON.parse(fs.readFileSync(assetsManifestPath(repoRoot), "utf8")));
  const ready = () => {
    try {
      const a = read();
      const built = fs.statSync(path.join(repoRoot, ".executor/worker.js")).mtimeMs;
      const dir = path.join(repoRoot, "lib/executor");
      const sources = fs.readdirSync(dir).filter((f) => /\.(ts|py)$/.test(f)).map((f) => fs.statSync(path.join(dir, f)).mtimeMs);
      return built >= Math.max(...sources) && (a.snapshot === null || fs.existsSync(path.join(repoRoot, "public", a.snapshot)));
    } catch {
      return false;
    }
  };
  if (!ready()) {
    const r = spawnSync(process.execPath, [path.join(repoRoot, "scripts/prepare-assets.mjs")], { cwd: repoRoot, encoding: "utf8" });
    if (r.status !== 0) throw new Error(`prepare-assets failed: ${r.stderr}`);
  }
  return read();
}

async function startServer(): Promise<void> {
  assets = prepareAssets();
  root = fs.mkdtempSync(path.join(os.tmpdir(), "cwm-chromium-"));
  fs.mkdirSync(path.join(root, ".executor"));
  fs.copyFileSync(path.join(repoRoot, ".executor/worker.js"), path.join(root, ".executor/worker.js"));
  fs.copyFileSync(assetsManifestPath(repoRoot), assetsManifestPath(root));
  const host = await build({
    stdin: {
      contents: `import { createBrowserExecutor } from "@/lib/executor/browser"; globalThis.createBrowserExecutor = createBrowserExecutor;`,
      resolveDir: repoRoot,
      loader: "ts",
    },
    bundle: true,
    format: "iife",
    platform: "browser",
    alias: { "@": repoRoot },
    write: false,
    logLevel: "warning",
  });
  const hostJs = host.outputFiles[0].text;
  const pyodideDir = path.join(repoRoot, "public", assets.pyodide);
  server = http.createServer(async (req, res) => {
    const url = new URL(req.url ?? "/", origin);
    requests.push(url.pathname);
    if (url.pathname === "/") {
      res.writeHead(200, { "content-type": "text/html" });
      res.end(`<!doctype html><script src="/host.js"></script>`);
    } else if (url.pathname === "/host.js") {
      res.writeHead(200, { "content-type": "text/javascript" });
      res.end(hostJs);
    } else if (url.pathname === "/executor/worker.js") {
      const r = await workerResponse(new Request(`${origin}${url.pathname}`, { headers: { host: req.headers.host ?? "" } }), "worker.js", root);
      res.writeHead(r.status, Object.fromEntries(r.headers));
      res.end(Buffer.from(await r.arrayBuffer()));
    } else if (url.pathname.startsWith(assets.pyodide) && /^[\w.-]+$/.test(url.pathname.slice(assets.pyodide.length))) {
      const file = path.join(pyodideDir, url.pathname.slice(assets.pyodide.length));
      if (!fs.existsSync(file)) return void res.writeHead(404).end();
      const type = file.endsWith(".wasm") ? "application/wasm" : file.endsWith(".mjs") ? "text/javascript" : "application/octet-stream";
      res.writeHead(200, { "content-type": type, "cache-control": "public, max-age=31536000, immutable" });
      fs.createReadStream(file).pipe(res);
    } else {
      res.writeHead(404).end();
    }
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

beforeAll(async () => {
  if (!hasChromium) return;
  await startServer();
  const { chromium } = await import("playwright-core");
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
  page = await browser.newPage();
  await page.goto(`${origin}/`);
  await page.evaluate(() => {
    const w = window as unknown as {
      ex: { subscribe(l: (e: { type: string; state?: { phase: string; message?: string } }) => void): void };
      createBrowserExecutor: (o?: object) => unknown;
      loadMessages: string[];
      leaks: string[];
    };
    w.ex = w.createBrowserExecutor({ stopGraceMs: 1000 }) as typeof w.ex;
    w.loadMessages = [];
    w.ex.subscribe((e) => {
      if (e.type === "phase" && e.state?.message !== undefined) w.loadMessages.push(e.state.message);
    });
    // What a program's leftover callbacks would report (BroadcastChannel reaches the page whatever the worker's CSP).
    w.leaks = [];
    new BroadcastChannel("cwm-leak").onmessage = (m) => w.leaks.push(String(m.data));
  });
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await new Promise<void>((r) => (server ? server.close(() => r()) : r()));
  if (root) fs.rmSync(root, { recursive: true, force: true });
});

interface PageTrace {
  status: string;
  result: string | null;
  error: string | null;
  stdout: string;
  notes?: string[];
  frames: unknown[];
  frameCount: number;
  executor?: string;
}

/** Runs in the page; long frame lists stay there (Playwright would take seconds to copy them). */
function runInPage(code: string, call: string | null, budgets: object = {}, stopAfterMs?: number, edit?: object): Promise<PageTrace> {
  return page.evaluate(
    async ({ code, call, budgets, stopAfterMs, edit }) => {
      type Ev = { type: string; runId?: string };
      const ex = (window as unknown as { ex: { run(i: object): { runId: string; done: Promise<unknown> }; stop(): void; subscribe(l: (e: Ev) => void): () => void } }).ex;
      const r = ex.run(edit ? { code, call, budgets, edit } : { code, call, budgets });
      if (stopAfterMs !== undefined) {
        // Counted from the run's first frames: the run may wait for its interpreter first.
        const off = ex.subscribe((e) => {
          if (e.type !== "frames" || e.runId !== r.runId) return;
          off();
          setTimeout(() => ex.stop(), stopAfterMs);
        });
      }
      const t = (await r.done) as PageTrace;
      return { ...t, frameCount: t.frames.length, frames: t.frames.length <= 100 ? t.frames : t.frames.slice(-2) };
    },
    { code, call, budgets, stopAfterMs, edit },
  );
}

describe.skipIf(!hasChromium)("executor in Chromium (worker CSP, Pyodide from our origin)", () => {
  it("loads Pyodide under the worker CSP and traces a call", async () => {
    const t = await runInPage("def f(a):\n    b = a + 1\n    return b\n", "f(1)");
    expect(t.status).toBe("returned");
    expect(t.result).toBe("2");
    expect(t.frames).toHaveLength(7);
    expect(t.executor).toMatch(/^Pyodide 314\./);
    const unexpected = requests.filter((p) => !["/", "/host.js", "/executor/worker.js", "/favicon.ico"].includes(p) && !p.startsWith(assets.pyodide));
    expect(unexpected).toEqual([]);
  }, 90_000);

  it("applies a counterfactual edit in the browser's worker (run({ ..., edit }))", async () => {
    const code = "def f(xs):\n    s = 0\n    for n in xs:\n        s += n\n    return s\n";
    const t = (await runInPage(code, "f([1, 2, 3])", {}, undefined, { at: 7, name: "s", value: "100" })) as PageTrace & { edit?: unknown; frames: { locals?: Record<string, string> }[] };
    expect(t.result).toBe("105");
    expect(t.frames[7].locals).toEqual({ xs: "[1, 2, 3]", s: "100", n: "2" });
    expect(t.edit).toEqual({ at: 7, name: "s", value: "100", applied: true, repr: "100" });
  }, 90_000);

  it("restores Python from the snapshot served under the versioned path", async () => {
    await runInPage("def f():\n    return 1\n", "f()");
    expect(assets.snapshot).toMatch(new RegExp(`^${assets.pyodide}snapshot-[0-9a-f]+\\.bin\\.gz$`));
    expect(requests).toContain(assets.snapshot);
    const messages = await page.evaluate(() => (window as unknown as { loadMessages: string[] }).loadMessages);
    expect(messages).toContain("Restoring Python");
    expect(messages.filter((m) => m.includes("snapshot could not be used"))).toEqual([]);
  }, 90_000);

  it("runs each program in a clean interpreter: patched builtins, sys.modules and setInterval callbacks do not reach the next run", async () => {
    const tamper = [
      "import builtins, sys, js",
      "from pyodide.ffi import create_proxy",
      "ch = js.BroadcastChannel.new('cwm-leak')",
      "ch.postMessage('during the run')",
      "def tick():",
      "    builtins.repr = lambda o: '999'",
      "    ch.postMessage('tick')",
      "js.setInterval(create_proxy(tick), 5)",
      "builtins.repr = lambda o: '999'",
      "builtins.LEAK = 1",
      "sys.modules['json'] = None",
      "",
    ].join("\n");
    await runInPage(tamper, null);
    const code = "import builtins, sys\ndef f(n):\n    x = n + 0\n    return (x, repr(x), hasattr(builtins, 'LEAK'), sys.modules.get('json') is not None)\n";
    const t = await runInPage(code, "f(5)");
    await page.waitForTimeout(500);
    expect(t.status).toBe("returned");
    expect(t.result).toBe("(5, '5', False, True)");
    expect(t.frames).toContainEqual(expect.objectContaining({ event: "line", line: 4, locals: { n: "5", x: "5" } }));
    const leaks = await page.evaluate(() => (window as unknown as { leaks: string[] }).leaks);
    // The channel works (the program's own message arrived), and no callback ever ran after it.
    expect(leaks).toEqual(["during the run"]);
  }, 90_000);

  it("blocks JavaScript eval from Python (no unsafe-eval in the worker)", async () => {
    const t = await runInPage("import pyodide.code\nx = pyodide.code.run_js('1 + 1')\n", null);
    expect(t.status).toBe("raised");
    expect(t.error).toMatch(/EvalError|Content Security Policy|unsafe-eval/);
  }, 60_000);

  it("blocks requests to the app's own API from Python (connect-src is /pyodide/ only)", async () => {
    const code =
      "import js\ndef f():\n    xhr = js.XMLHttpRequest.new()\n    try:\n        xhr.open('GET', '/api/runs', False)\n        xhr.send()\n        return 'fetched'\n    except Exception as e:\n        return 'blocked'\n";
    const t = await runInPage(code, "f()");
    expect(t.status).toBe("returned");
    expect(t.result).toBe("'blocked'");
    expect(requests).not.toContain("/api/runs");
  }, 60_000);

  it("handles deep recursion in the browser as a normal RecursionError", async () => {
    const t = await runInPage("def f(n):\n    return f(n + 1)\n", "f(0)", { maxSteps: 100_000 });
    expect(t.status).toBe("raised");
    expect(t.error).toBe("RecursionError: maximum recursion depth exceeded");
  }, 60_000);

  it("stops an endless loop when asked and keeps the frames", async () => {
    const t = await runInPage("i = 0\nwhile True:\n    i += 1\n", null, { maxSteps: 10_000_000, timeoutMs: 60_000 }, 500);
    expect(t.status).toBe("time_limit");
    expect(t.frameCount).toBeGreaterThan(0);
    expect(t.notes?.[0]).toMatch(/stopped by the user/);
    const next = await runInPage("def f():\n    return 'ok'\n", "f()");
    expect(next.result).toBe("'ok'");
  }, 90_000);
});
