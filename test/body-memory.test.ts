/**
 * A 512 MiB chunked upload must not grow the server: the body reader stops at the route's
 * limit and answers 413. The routes run in a process of their own (test/servers/app-routes.ts)
 * whose resident memory is read from /proc before and after.
 */
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { Readable } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const UPLOAD = 512 * 1024 * 1024;
/** Growth allowed: the route's own limit (8 MiB for runs) read once, and allocator slack. */
const MAX_GROWTH = 24 * 1024 * 1024;

let child: ChildProcess;
let base: string;
const dbFile = path.join(os.tmpdir(), `cwm-body-memory-${process.pid}.db`);

beforeAll(async () => {
  child = spawn(process.execPath, ["--conditions=react-server", "--import", "tsx", "test/servers/app-routes.ts"], {
    cwd: path.resolve(__dirname, ".."),
    env: { ...process.env, DATABASE_URL: `file:${dbFile}`, RUNS_RATE_LIMIT: "0", NODE_ENV: "production" },
    stdio: ["ignore", "pipe", "inherit"],
  });
  base = await new Promise<string>((resolve, reject) => {
    let out = "";
    child.stdout!.on("data", (d: Buffer) => {
      out += d.toString();
      const m = /listening (\S+)/.exec(out);
      if (m) resolve(m[1]);
    });
    child.on("exit", (code) => reject(new Error(`route server exited with ${code}`)));
  });
});

afterAll(() => {
  child?.kill("SIGTERM");
  fs.rmSync(dbFile, { force: true });
});

function rssBytes(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, "utf8"));
  if (!m) throw new Error("no VmRSS");
  return Number(m[1]) * 1024;
}

/** `bytes` of a JSON-looking body in 64 KiB chunks, without Content-Length; stops when the server hangs up. */
function upload(pathname: string, bytes: number): Promise<{ status: number; body: string; sent: number }> {
  const piece = Buffer.alloc(64 * 1024, 0x61);
  piece.write('{"code":"');
  let sent = 0;
  const source = new Readable({
    read() {
      if (sent >= bytes) return void this.push(null);
      sent += piece.length;
      this.push(piece);
    },
  });
  return new Promise((resolve, reject) => {
    const req = http.request(`${base}${pathname}`, { method: "POST", headers: { "content-type": "application/json" }, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => {
        source.destroy();
        resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString("utf8"), sent });
      });
    });
    // The server may hang up on the rest of the upload once it has answered; an error before any answer fails the test.
    req.on("error", (err: NodeJS.ErrnoException) => {
      if (err.code === "EPIPE" || err.code === "ECONNRESET")
        setTimeout(() => reject(new Error(`${err.code} after ${(sent / 2 ** 20).toFixed(1)} MiB and no answer`)), 5_000);
      else reject(err);
    });
    source.pipe(req);
  });
}

describe("a 512 MiB chunked body", () => {
  for (const route of ["/api/runs", "/api/predict"]) {
    it(`${route} answers 413 and the server's memory does not grow`, async () => {
      // Warm up: modules loaded, buffers allocated once.
      for (let i = 0; i < 3; i++) expect((await upload(route, 16 * 1024 * 1024)).status).toBe(413);
      const before = rssBytes(child.pid!);
      const res = await upload(route, UPLOAD);
      const after = rssBytes(child.pid!);
      console.log(
        `${route}: 413 after ${(res.sent / 2 ** 20).toFixed(1)} MiB sent; RSS ${(before / 2 ** 20).toFixed(1)} → ${(after / 2 ** 20).toFixed(1)} MiB`,
      );
      expect(res.status).toBe(413);
      expect(JSON.parse(res.body).error.code).toBe("payload_too_large");
      expect(after - before).toBeLessThan(MAX_GROWTH);
    });
  }
});
