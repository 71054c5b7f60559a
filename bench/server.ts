/**
 * The production server a benchmark measures: `npm start` (scripts/start.mjs: assets, database,
 * build when stale) on a free port with a throwaway SQLite database, stopped when the bench ends.
 */
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { z } from "zod";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

/** Nearest-rank percentile (p in 0–100); NaN for no samples. */
export function percentile(xs: number[], p: number): number {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))];
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.on("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

async function waitFor(url: string, server: ChildProcess, minutes: number): Promise<void> {
  const deadline = Date.now() + minutes * 60_000;
  while (Date.now() < deadline) {
    if (server.exitCode !== null) throw new Error(`npm start exited with ${server.exitCode}`);
    try {
      const r = await fetch(url);
      if (r.status < 500) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`${url} did not answer within ${minutes} min`);
}

/** Starts the server; `env` adds settings (e.g. RUNS_RATE_LIMIT=0 for a load test). */
export async function startServer(label: string, env: Record<string, string> = {}): Promise<{ base: string; stop: () => void }> {
  const port = await freePort();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `cwm-${label}-`));
  const server = spawn(process.execPath, [path.join(root, "scripts/start.mjs")], {
    cwd: root,
    env: { ...process.env, PORT: String(port), HOSTNAME_BIND: "127.0.0.1", DATABASE_URL: `file:${path.join(dir, "bench.db")}`, NODE_ENV: "production", ...env },
    stdio: ["ignore", "inherit", "inherit"],
    detached: true,
  });
  const base = `http://127.0.0.1:${port}`;
  const stop = () => {
    try {
      if (server.pid) process.kill(-server.pid, "SIGTERM");
    } catch {
      // already gone
    }
    fs.rmSync(dir, { recursive: true, force: true });
  };
  process.on("exit", stop);
  try {
    await waitFor(`${base}/`, server, 15);
  } catch (err) {
    stop();
    throw err;
  }
  return { base, stop };
}

/** `--name value` flags (`--strict` alone) read against a benchmark's zod schema of its options. */
export function parseFlags<S extends z.ZodType>(argv: string[], schema: S): z.infer<S> {
  const raw: Record<string, string | boolean> = {};
  for (let i = 0; i < argv.length; i++) {
    const m = argv[i].match(/^--([a-z]+)$/);
    if (!m) throw new Error(`unexpected argument ${argv[i]}`);
    if (m[1] === "strict") raw.strict = true;
    else raw[m[1]] = argv[++i] ?? "";
  }
  return schema.parse(raw);
}
