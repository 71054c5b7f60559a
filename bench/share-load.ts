/**
 * Share-load benchmark: how a shared link /r/<id> holds up when a whole class opens it, next
 * to a static file of about the same size served by the same server, in the same run.
 *
 *   npx tsx bench/share-load.ts                       # starts `npm start` itself (temp SQLite DB)
 *   npx tsx bench/share-load.ts --base http://host:3000 [--static /path/in/public] [--strict]
 *
 * Options: --connections N (200), --duration S (10), --warmup S (3), --static PATH,
 * --strict (exit 1 when a goal is missed). Goals: page p99 ≤ 50 ms and page throughput
 * ≥ 0.5× the static file's.
 */
import fs from "node:fs";
import path from "node:path";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import { z } from "zod";
import { CreateRunResponse } from "@/lib/storage/schema";
import { counterRun } from "@/lib/storage/__tests__/fixtures";
import { parseFlags, startServer } from "./server";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

const Args = z.object({
  base: z.string().url().optional(),
  static: z.string().startsWith("/").optional(),
  connections: z.coerce.number().int().positive().default(200),
  duration: z.coerce.number().positive().default(10),
  warmup: z.coerce.number().nonnegative().default(3),
  strict: z.boolean().default(false),
});
type Args = z.infer<typeof Args>;

function parseArgs(argv: string[]): Args {
  return parseFlags(argv, Args);
}

/** The part of autocannon's result this benchmark reads (autocannon ships no types). */
const CannonResult = z.object({
  latency: z.object({ p50: z.number(), p99: z.number(), average: z.number() }),
  requests: z.object({ average: z.number(), total: z.number() }),
  throughput: z.object({ average: z.number() }),
  errors: z.number(),
  timeouts: z.number(),
  non2xx: z.number(),
});
type CannonResult = z.infer<typeof CannonResult>;

type Autocannon = (opts: { url: string; connections: number; duration: number }) => Promise<unknown>;
const autocannon = createRequire(import.meta.url)("autocannon") as Autocannon;

async function measure(url: string, connections: number, duration: number): Promise<CannonResult> {
  return CannonResult.parse(await autocannon({ url, connections, duration }));
}


/** The file under public/ whose size is closest to `bytes` (a like-for-like static baseline). */
function staticLike(bytes: number): string {
  let best: { rel: string; diff: number } | null = null;
  const walk = (dir: string) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (/\.(js|css|json|svg|txt|html)$/.test(e.name)) {
        const diff = Math.abs(fs.statSync(p).size - bytes);
        if (!best || diff < best.diff) best = { rel: "/" + path.relative(path.join(root, "public"), p).split(path.sep).join("/"), diff };
      }
    }
  };
  walk(path.join(root, "public"));
  if (!best) throw new Error("no static file under public/ (run npm run prepare-assets), or pass --static");
  return (best as { rel: string }).rel;
}

const fmt = (n: number, d = 1) => n.toFixed(d);

async function main(): Promise<number> {
  const args = parseArgs(process.argv.slice(2));
  const server = args.base ? { base: args.base.replace(/\/+$/, ""), stop: () => {} } : await startServer("share-load", { RUNS_RATE_LIMIT: "0" });
  try {
    const fx = counterRun();
    const res = await fetch(`${server.base}/api/runs`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ code: fx.code, call: fx.call, title: "share-load", actual: fx.actual, prediction: fx.prediction }),
    });
    if (res.status !== 201) throw new Error(`POST /api/runs answered ${res.status}: ${await res.text()}`);
    const { id, url } = CreateRunResponse.parse(await res.json());
    const pageUrl = `${server.base}${url}`;

    const page = await fetch(pageUrl);
    const html = await page.text();
    if (page.status !== 200 || !html.includes(id)) throw new Error(`${url} answered ${page.status} without the run (is the /r/[id] page built?)`);
    const staticPath = args.static ?? staticLike(Buffer.byteLength(html));
    const st = await fetch(`${server.base}${staticPath}`);
    const staticBytes = (await st.arrayBuffer()).byteLength;
    if (st.status !== 200) throw new Error(`${staticPath} answered ${st.status}`);

    console.log(`share-load: ${args.connections} connections, ${args.duration} s each, on ${server.base}`);
    console.log(`  page   ${url} (${Buffer.byteLength(html)} bytes)`);
    console.log(`  static ${staticPath} (${staticBytes} bytes)`);
    if (args.warmup > 0) {
      await measure(pageUrl, 20, args.warmup);
      await measure(`${server.base}${staticPath}`, 20, args.warmup);
    }
    const s = await measure(`${server.base}${staticPath}`, args.connections, args.duration);
    const p = await measure(pageUrl, args.connections, args.duration);

    const row = (name: string, r: CannonResult) =>
      `  ${name.padEnd(7)} p50 ${fmt(r.latency.p50).padStart(7)} ms  p99 ${fmt(r.latency.p99).padStart(7)} ms  ${fmt(r.requests.average, 0).padStart(6)} req/s  ${fmt(r.throughput.average / 1e6, 2)} MB/s  errors ${r.errors + r.timeouts}  non-2xx ${r.non2xx}`;
    console.log(row("static", s));
    console.log(row("page", p));
    const ratio = p.requests.average / s.requests.average;
    const p99ok = p.latency.p99 <= 50;
    const ratioOk = ratio >= 0.5;
    const clean = p.errors + p.timeouts + p.non2xx === 0;
    console.log(`  throughput ratio page/static = ${fmt(ratio, 3)} (goal ≥ 0.5: ${ratioOk ? "met" : "MISSED"})`);
    console.log(`  page p99 = ${fmt(p.latency.p99)} ms (goal ≤ 50 ms: ${p99ok ? "met" : "MISSED"})`);
    if (!clean) console.log(`  page had ${p.errors} errors, ${p.timeouts} timeouts, ${p.non2xx} non-2xx answers`);
    return args.strict && !(p99ok && ratioOk && clean) ? 1 : 0;
  } finally {
    server.stop();
  }
}

main().then(
  (code) => process.exit(code),
  (err) => {
    console.error(`share-load: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  },
);
