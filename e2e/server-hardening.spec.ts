/**
 * The built app under `npm start` (scripts/serve.mjs in front of Next), attacked as issue 9
 * describes: unknown ids must not write Next's disk cache, undecodable paths and lone
 * surrogates are 4xx, only embeds may be framed (by other sites and by local files), shared
 * pages are compressed, cross-site posts are refused, and a 512 MiB chunked upload neither
 * grows the server nor gets anything but a 413.
 */
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { Readable } from "node:stream";
import { fileURLToPath } from "node:url";
import zlib from "node:zlib";
import { expect, test } from "./fixtures";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

interface Raw {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

/** node:http, so the bytes are seen as sent (no decompression, no pooling). */
function raw(url: string, opts: { method?: string; headers?: Record<string, string>; body?: string | Readable } = {}): Promise<Raw> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method: opts.method ?? "GET", headers: opts.headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => {
        if (opts.body instanceof Readable) opts.body.destroy();
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) });
      });
    });
    req.on("error", (err: NodeJS.ErrnoException) => (err.code === "EPIPE" || err.code === "ECONNRESET" ? undefined : reject(err)));
    if (opts.body instanceof Readable) opts.body.pipe(req);
    else req.end(opts.body);
  });
}

const randomId = () => Buffer.from(crypto.getRandomValues(new Uint8Array(12))).toString("base64url");

function filesUnder(dir: string): Set<string> {
  const out = new Set<string>();
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else out.add(p);
    }
  };
  if (fs.existsSync(dir)) walk(dir);
  return out;
}

async function saveRun(baseURL: string, frames = 2000): Promise<string> {
  const actual = {
    status: "returned",
    frames: Array.from({ length: frames }, (_, i) => ({
      event: "line",
      line: 3,
      source: "        s += i",
      locals: { n: String(frames), s: String((i * (i - 1)) / 2), i: String(i) },
    })),
    result: "0",
    error: null,
    stdout: "",
  };
  const res = await raw(`${baseURL}/api/runs`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ code: "def f(n):\n    s = 0\n    for i in range(n):\n        s += i\n    return s\n", call: `f(${frames})`, actual }),
  });
  expect(res.status).toBe(201);
  return JSON.parse(res.body.toString()).id;
}

test.describe("the server stays up", () => {
  test("GETs of 20 unknown ids answer 404 and leave no file in Next's build directory", async ({ baseURL }) => {
    const before = filesUnder(path.join(root, ".next/server"));
    for (let i = 0; i < 20; i++) {
      const id = randomId();
      expect((await raw(`${baseURL}/r/${id}`)).status).toBe(404);
      expect((await raw(`${baseURL}/embed/${id}`)).status).toBe(404);
    }
    const added = [...filesUnder(path.join(root, ".next/server"))].filter((f) => !before.has(f));
    expect(added).toEqual([]);
  });

  test("a found shared run is not written to disk either, and is served from memory after the first visit", async ({ baseURL }) => {
    const id = await saveRun(baseURL!);
    const before = filesUnder(path.join(root, ".next/server"));
    const first = await raw(`${baseURL}/r/${id}`, { headers: { "accept-encoding": "identity" } });
    const second = await raw(`${baseURL}/r/${id}`, { headers: { "accept-encoding": "identity" } });
    expect([first.status, second.status, second.headers["x-page-cache"]]).toEqual([200, 200, "hit"]);
    expect([...filesUnder(path.join(root, ".next/server"))].filter((f) => !before.has(f))).toEqual([]);
  });

  for (const target of ["/r/%ZZ", "/embed/%E0%A4%A", "/api/runs/%E0%A4%A", "/r/%ED%A0%80"]) {
    test(`${target} answers 400 with a message`, async ({ baseURL }) => {
      const res = await raw(`${baseURL}${target}`);
      expect(res.status).toBe(400);
      expect(JSON.parse(res.body.toString()).error.message).toMatch(/percent-encoded UTF-8/);
    });
  }

  for (const key of ["code", "call", "title"]) {
    test(`a lone surrogate in ${key} answers 400, not 500`, async ({ baseURL }) => {
      const body = JSON.stringify({
        code: "x = 1",
        call: null,
        title: null,
        actual: { status: "returned", frames: [], result: null, error: null, stdout: "" },
        [key]: "PLACEHOLDER",
      }).replace('"PLACEHOLDER"', '"a\\ud800"');
      const res = await raw(`${baseURL}/api/runs`, { method: "POST", headers: { "content-type": "application/json" }, body });
      expect(res.status).toBe(400);
      expect(JSON.parse(res.body.toString()).error.message).toMatch(/surrogate/);
    });
  }

  test("POST /api/predict refuses text/plain; x=application/json and a cross-site request", async ({ baseURL }) => {
    const body = JSON.stringify({ runId: "r", predictor: "baseline-syntax", code: "x = 1", call: null });
    expect((await raw(`${baseURL}/api/predict`, { method: "POST", headers: { "content-type": "text/plain; x=application/json" }, body })).status).toBe(415);
    expect(
      (await raw(`${baseURL}/api/predict`, { method: "POST", headers: { "content-type": "application/json", "sec-fetch-site": "cross-site" }, body })).status,
    ).toBe(403);
    expect(
      (await raw(`${baseURL}/api/predict`, { method: "POST", headers: { "content-type": "application/json", origin: "https://evil.example" }, body })).status,
    ).toBe(403);
  });

  test("a form another site posts from a real browser is refused with 403", async ({ browser, baseURL }) => {
    const evil = http.createServer((_req, res) => {
      res.writeHead(200, { "content-type": "text/html" });
      res.end(`<form method=post action="${baseURL}/api/runs" enctype="text/plain"><input name='{"code":"x=1","actual":{"status":"returned","frames":[],"result":null,"error":null,"stdout":""},"a":"' value='"}'></form>
        <script>document.forms[0].submit()</script>`);
    });
    await new Promise<void>((r) => evil.listen(0, "localhost", r));
    const context = await browser.newContext();
    const page = await context.newPage();
    const posted = page.waitForResponse((r) => r.url() === `${baseURL}/api/runs` && r.request().method() === "POST");
    await page.goto(`http://localhost:${(evil.address() as AddressInfo).port}/`);
    const res = await posted;
    expect(res.status()).toBe(403);
    await context.close();
    evil.close();
  });
});

test.describe("the one error model", () => {
  test("an unknown API path is a JSON 404 and an unserved method a JSON 405, not Next's pages", async ({ baseURL }) => {
    const missing = await raw(`${baseURL}/api/nope/x`);
    expect([missing.status, JSON.parse(missing.body.toString()).error.code]).toEqual([404, "not_found"]);
    const wrongMethod = await raw(`${baseURL}/api/predict`);
    expect([wrongMethod.status, wrongMethod.headers.allow, JSON.parse(wrongMethod.body.toString()).error.code]).toEqual([405, "POST", "method_not_allowed"]);
  });
});

test.describe("framing", () => {
  test("only /embed/* may be framed: by any site and by a local file", async ({ baseURL }) => {
    const id = await saveRun(baseURL!, 10);
    for (const p of ["/", `/r/${id}`, "/api/predictors", "/r/AAAAAAAAAAAAAAAA"]) {
      const res = await raw(`${baseURL}${p}`);
      expect(res.headers["content-security-policy"], p).toMatch(/frame-ancestors 'none'/);
      expect(res.headers["x-frame-options"], p).toBe("DENY");
    }
    const embed = await raw(`${baseURL}/embed/${id}`);
    expect(embed.headers["content-security-policy"]).toMatch(/frame-ancestors \* file:(;|$)/);
    expect(embed.headers["x-frame-options"]).toBeUndefined();
    expect(embed.headers["cross-origin-resource-policy"]).toBe("cross-origin");
  });

  test("an embed shows in another site's page and in a local file; the playground does not", async ({ browser, baseURL }) => {
    const id = await saveRun(baseURL!, 10);
    const html = `<!doctype html><iframe id=embed src="${baseURL}/embed/${id}" width=800 height=500></iframe><iframe id=app src="${baseURL}/" width=300 height=200></iframe>`;
    const site = http.createServer((_req, res) => {
      res.writeHead(200, { "content-type": "text/html" });
      res.end(html);
    });
    await new Promise<void>((r) => site.listen(0, "localhost", r));
    const file = path.join(os.tmpdir(), `cwm-embed-host-${process.pid}.html`);
    fs.writeFileSync(file, html);
    const context = await browser.newContext();
    try {
      for (const host of [`http://localhost:${(site.address() as AddressInfo).port}/`, `file://${file}`]) {
        const page = await context.newPage();
        const refused = page.waitForEvent("console", (m) => /frame-ancestors 'none'/.test(m.text()));
        await page.goto(host);
        await expect(page.frameLocator("#embed").getByText(id).first(), host).toBeVisible();
        // Chromium reports the refused playground frame on the embedding page's console.
        await refused;
        expect(
          page.frames().some((f) => f.url() === `${baseURL}/`),
          host,
        ).toBe(false);
        await page.close();
      }
    } finally {
      await context.close();
      site.close();
      fs.rmSync(file, { force: true });
    }
  });

  test("the playground stays cross-origin isolated (Stop needs it)", async ({ page }) => {
    await page.goto("/");
    expect(await page.evaluate(() => crossOriginIsolated)).toBe(true);
  });
});

test.describe("compression", () => {
  test("a shared page is served brotli or gzip as asked, one render for all", async ({ baseURL }) => {
    const id = await saveRun(baseURL!, 5000);
    const identity = await raw(`${baseURL}/r/${id}`, { headers: { "accept-encoding": "identity" } });
    const br = await raw(`${baseURL}/r/${id}`, { headers: { "accept-encoding": "gzip, deflate, br" } });
    const gz = await raw(`${baseURL}/r/${id}`, { headers: { "accept-encoding": "gzip" } });
    expect([br.headers["content-encoding"], gz.headers["content-encoding"]]).toEqual(["br", "gzip"]);
    expect(zlib.brotliDecompressSync(br.body).equals(identity.body)).toBe(true);
    expect(zlib.gunzipSync(gz.body).equals(identity.body)).toBe(true);
    expect(br.body.length * 4).toBeLessThan(identity.body.length);
    expect(br.headers.vary).toMatch(/accept-encoding/i);
    console.log(`shared page of 5,000 frames: ${identity.body.length} bytes, gzip ${gz.body.length}, br ${br.body.length}`);
  });
});

test.describe("a 512 MiB chunked upload", () => {
  let server: ChildProcess;
  const port = 3109;
  const base = `http://127.0.0.1:${port}`;

  test.beforeAll(async () => {
    // A server of its own, so its memory can be read from /proc.
    server = spawn(process.execPath, ["scripts/serve.mjs"], {
      cwd: root,
      env: { ...process.env, PORT: String(port), NODE_ENV: "production", DATABASE_URL: `file:${path.join(os.tmpdir(), `cwm-e2e-upload-${process.pid}.db`)}` },
      stdio: ["ignore", "pipe", "inherit"],
    });
    await new Promise<void>((resolve, reject) => {
      server.stdout!.on("data", (d: Buffer) => (String(d).includes("ready on") ? resolve() : undefined));
      server.on("exit", (code) => reject(new Error(`serve.mjs exited with ${code}`)));
    });
  });

  test.afterAll(() => {
    server?.kill("SIGTERM");
  });

  const rss = () => Number(/VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${server.pid}/status`, "utf8"))![1]) * 1024;
  const upload = (bytes: number) => {
    const piece = Buffer.alloc(64 * 1024, 0x61);
    piece.write('{"code":"');
    let sent = 0;
    return new Readable({
      read() {
        if (sent >= bytes) return void this.push(null);
        sent += piece.length;
        this.push(piece);
      },
    });
  };

  for (const route of ["/api/runs", "/api/predict"]) {
    test(`${route} answers 413 and the server's memory does not grow`, async () => {
      for (let i = 0; i < 3; i++)
        expect((await raw(`${base}${route}`, { method: "POST", headers: { "content-type": "application/json" }, body: upload(16 << 20) })).status).toBe(413);
      const before = rss();
      const res = await raw(`${base}${route}`, { method: "POST", headers: { "content-type": "application/json" }, body: upload(512 << 20) });
      const after = rss();
      console.log(`${route}: RSS ${(before / 2 ** 20).toFixed(1)} → ${(after / 2 ** 20).toFixed(1)} MiB`);
      expect(res.status).toBe(413);
      expect(JSON.parse(res.body.toString()).error.code).toBe("payload_too_large");
      expect(after - before).toBeLessThan(24 << 20);
    });
  }
});
