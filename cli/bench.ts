/**
 * `npm run cwm -- bench --dataset DATA.jsonl (--backend vllm|fastgen|chat|chat:NAME|baseline | --replay REC.jsonl) …`:
 * for every program, execute it (ground truth), predict (or replay) its trace, and score the
 * prediction; per-program lines to --out, macro means on stdout, progress on stderr.
 * With `--predictors a,b,…` it is a leaderboard: every predictor on the same programs, each
 * program executed once, one table of every predictor's means.
 */
import { createWriteStream, type WriteStream } from "node:fs";
import { readFile, writeFile } from "node:fs/promises";
import { parseArgs } from "node:util";
import type { NodeTracer } from "@/lib/executor/node";
import { compareTraces } from "@/lib/compare/compare";
import { parseDataset, type BenchProgram } from "@/lib/compare/dataset";
import { formatLeaderboard, formatSummaryTable, summarise, type BenchResult, type LeaderboardRow } from "@/lib/compare/summary";
import { renderReport } from "@/lib/report/html";
import { renderLeaderboard } from "@/lib/report/leaderboard";
import type { CanonicalTrace, PredictedTrace, PredictorInfo } from "@/lib/trace/schema";

const HELP = `usage: npm run cwm -- bench --dataset DATA.jsonl (--backend vllm|fastgen|chat|chat:NAME|baseline | --replay RECORDED.jsonl)
                         [--python PATH] [--out RESULTS.jsonl] [--report report.html] [--json]
                         [--concurrency N] [--limit N] [--ignore-comprehensions] [--playground-url URL]
       npm run cwm -- bench --dataset DATA.jsonl --predictors vllm,chat:NAME,baseline [--replay RECORDED.jsonl] …

Executes every program of the dataset (the ground truth), predicts its trace (or replays a
recorded generation), scores the prediction (comparison.md) and prints the macro means.

  --dataset FILE            JSON lines: CRUXEval {id, code, input, output} (call = f(<input>)) or {id, code, call}
  --backend NAME            vllm | fastgen | baseline: a live predictor, configured by the environment
                            (CWM_VLLM_URL, CWM_FASTGEN_URL + CWM_TOKENIZER_PATH, CWM_MAX_TOKENS, …)
                            chat: any OpenAI-compatible chat model, with --url URL --model NAME
                            [--api-key KEY] [--server NAME]; chat:NAME: a model of CHAT_MODELS
  --predictors LIST         a leaderboard: comma-separated vllm, fastgen, chat, chat:NAME, baseline,
                            replay (needs --replay); every predictor scores the same programs, each
                            executed once; the syntax-only baseline always joins as the floor
  --replay FILE             recorded generations (JSON lines with id and generation), matched by id
                            (or by code and call)
  --python PATH             run the ground truth under this local CPython instead of Pyodide. It runs
                            the dataset's code on your machine, unsandboxed: use trusted datasets only.
  --out FILE                one JSON line per program: metrics, outcomes, halting verdicts
  --report FILE             a self-contained HTML report (charts, worst programs with playground links)
  --playground-url URL      where the report's links open the playground (default http://localhost:3000/)
  --json                    end stdout with ONE JSON line: programs, errors and every rate as a fraction
  --concurrency N           programs in flight at once (default 1); with --python each has its own
                            interpreter process (Pyodide runs on one thread: it only overlaps predictions)
  --limit N                 only the first N programs
  --ignore-comprehensions   leave out comprehension frames on both sides

Exit codes: 0 all scored; 2 bad arguments or input (bad dataset lines and programs without a
recording are reported on stderr, the others are still scored); 1 an unexpected failure.
`;

const BACKENDS: Record<string, string> = { vllm: "cwm-vllm", fastgen: "cwm-fastgen", baseline: "baseline-syntax" };
/** Registry ids are accepted too (cwm-vllm, baseline-syntax, …). */
const ALIASES: Record<string, string> = { "cwm-vllm": "vllm", "cwm-fastgen": "fastgen", "baseline-syntax": "baseline" };

class UsageError extends Error {}
/** A program that cannot be scored because of its input (e.g. no recording): exit 2 at the end. */
class InputError extends Error {}

interface Options {
  dataset: string;
  backend?: string;
  /** Leaderboard mode: the predictors, in the order given, the baseline last. */
  predictors?: string[];
  replay?: string;
  chat: { url?: string; model?: string; apiKey?: string; server?: string };
  python?: string;
  out?: string;
  report?: string;
  playgroundUrl: string;
  json: boolean;
  concurrency: number;
  limit?: number;
  ignoreComprehensions: boolean;
}

function positiveInt(name: string, v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1) throw new UsageError(`--${name} must be a positive integer, got "${v}"`);
  return n;
}

function parseOptions(argv: string[]): Options | "help" {
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        dataset: { type: "string" },
        backend: { type: "string" },
        predictors: { type: "string" },
        url: { type: "string" },
        model: { type: "string" },
        "api-key": { type: "string" },
        server: { type: "string" },
        replay: { type: "string" },
        python: { type: "string" },
        out: { type: "string" },
        report: { type: "string" },
        "playground-url": { type: "string" },
        json: { type: "boolean" },
        concurrency: { type: "string" },
        limit: { type: "string" },
        "ignore-comprehensions": { type: "boolean" },
        help: { type: "boolean", short: "h" },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (err) {
    throw new UsageError(err instanceof Error ? err.message : String(err));
  }
  if (values.help) return "help";
  const str = (k: string) => (typeof values[k] === "string" ? (values[k] as string) : undefined);
  const dataset = str("dataset");
  if (!dataset) throw new UsageError("--dataset is required");
  const backend = str("backend");
  const replay = str("replay");
  const list = str("predictors");
  let predictors: string[] | undefined;
  if (list !== undefined) {
    if (backend !== undefined) throw new UsageError("give --predictors or --backend, not both");
    predictors = list.split(",").map((x) => x.trim()).filter(Boolean).map((x) => ALIASES[x] ?? x);
    if (predictors.length === 0) throw new UsageError("--predictors is empty");
    for (const name of predictors) checkName(name);
    if (predictors.includes("replay") && !replay) throw new UsageError("--predictors replay needs --replay FILE");
    // A recording given beside a list is one more row.
    if (replay && !predictors.includes("replay")) predictors.push("replay");
    const dup = predictors.find((x, i) => predictors!.indexOf(x) !== i);
    if (dup) throw new UsageError(`--predictors lists "${dup}" twice`);
    // The floor every model is read against.
    predictors = [...predictors.filter((x) => x !== "baseline"), "baseline"];
  } else {
    if ((backend === undefined) === (replay === undefined)) throw new UsageError("give exactly one of --backend and --replay (or --predictors)");
    if (backend !== undefined) checkName(backend);
  }
  return {
    dataset,
    backend: backend !== undefined ? (ALIASES[backend] ?? backend) : undefined,
    predictors,
    replay,
    chat: { url: str("url"), model: str("model"), apiKey: str("api-key"), server: str("server") },
    python: str("python"),
    out: str("out"),
    report: str("report"),
    playgroundUrl: str("playground-url") ?? "http://localhost:3000/",
    json: values.json === true,
    concurrency: positiveInt("concurrency", str("concurrency")) ?? 1,
    limit: positiveInt("limit", str("limit")),
    ignoreComprehensions: values["ignore-comprehensions"] === true,
  };
}

function checkName(name: string): void {
  if (name in BACKENDS || name === "chat" || name === "replay" || /^chat:[A-Za-z0-9][A-Za-z0-9_-]{0,31}$/.test(name)) return;
  throw new UsageError(`--backend must be one of ${Object.keys(BACKENDS).join(", ")}, chat, chat:NAME, got "${name}"`);
}

type Predict = (p: BenchProgram) => Promise<PredictedTrace>;

interface BenchPredictor {
  id: string;
  label: string;
  predict: Predict;
}

// Predictors and the executor load only when used: argument errors answer at once.
async function replayPredictor(file: string): Promise<BenchPredictor> {
  const { loadReplay, parseGeneration } = await import("@/lib/predictors/replay");
  const lookup = await loadReplay(file).catch((err: unknown) => {
    throw new UsageError(err instanceof Error ? err.message : String(err));
  });
  const info: PredictorInfo = { id: "replay", model: "facebook/cwm (recorded)", label: "Recorded CWM outputs (replay)" };
  return {
    id: "replay",
    label: `replay of ${file}`,
    predict: async (p) => {
      const rec = lookup.get(p.id) ?? lookup.find(p.code, p.call);
      if (!rec) throw new InputError(`no recorded generation for id "${p.id}" in ${file}`);
      return parseGeneration(rec.generation, { code: p.code, call: p.call }, info);
    },
  };
}

async function livePredictor(backend: string, opts: Options): Promise<BenchPredictor> {
  const { loadPredictorConfig, ConfigError } = await import("@/lib/config/predictors");
  const { registryFromConfig } = await import("@/lib/predictors/registry");
  let config;
  try {
    config = loadPredictorConfig(process.env);
  } catch (err) {
    if (err instanceof ConfigError) throw new UsageError(err.message);
    throw err;
  }
  const settings = { temperature: 0, max_tokens: config.defaultMaxTokens };
  if (backend === "chat") {
    const { createChatPredictor } = await import("@/lib/predictors/chat");
    const { url, model, apiKey, server } = opts.chat;
    if (!url || !model) throw new UsageError("chat needs --url (the server's base URL) and --model");
    if (!/^https?:\/\//.test(url)) throw new UsageError(`--url must be an http(s) URL, got "${url}"`);
    const chat = createChatPredictor({ id: "chat", name: "chat", url, model, apiKey, server, keyHint: "--api-key", timeouts: config.timeouts });
    return { id: chat.id, label: chat.label, predict: (p) => chat.predict({ code: p.code, call: p.call, settings }, () => {}) };
  }
  const id = BACKENDS[backend] ?? backend;
  if (id.startsWith("chat:") && !config.chat.some((c) => `chat:${c.name}` === id)) {
    throw new UsageError(`${id}: no chat model "${id.slice(5)}" in CHAT_MODELS${config.chat.length ? ` (configured: ${config.chat.map((c) => c.name).join(", ")})` : "; set CHAT_MODELS=NAME|URL|MODEL|SERVER"}`);
  }
  const predictor = registryFromConfig({ ...config, enabled: [id] }).get(id);
  if (!predictor) throw new UsageError(`no predictor "${id}"`);
  const status = predictor.status();
  if (!status.available) {
    const env = status.env?.length ? `; set:\n  ${status.env.join("\n  ")}` : "";
    throw new UsageError(`${predictor.label} is not available: ${status.message ?? "not configured"}${env}`);
  }
  return {
    id,
    label: predictor.label,
    predict: (p) => predictor.predict({ code: p.code, call: p.call, settings }, () => {}),
  };
}

type GroundTruth = { ok: true; trace: CanonicalTrace } | { ok: false; error: string };

async function execute(p: BenchProgram, tracer: NodeTracer): Promise<GroundTruth> {
  try {
    return { ok: true, trace: await tracer.trace({ code: p.code, call: p.call }) };
  } catch (err) {
    return { ok: false, error: `execution failed: ${message(err)}` };
  }
}

async function scoreOne(p: BenchProgram, truth: GroundTruth, predict: Predict, opts: Options): Promise<BenchResult> {
  const base = { id: p.id, code: p.code, call: p.call };
  if (!truth.ok) return { ...base, metrics: null, actual: null, predicted: null, halting: null, error: truth.error };
  const actual = truth.trace;
  const actualSummary = { status: actual.status, result: actual.result, error: actual.error, frames: actual.frames.length };
  let predicted: PredictedTrace;
  try {
    predicted = await predict(p);
  } catch (err) {
    if (err instanceof InputError) throw err;
    return { ...base, metrics: null, actual: actualSummary, predicted: null, halting: null, error: `prediction failed: ${message(err)}` };
  }
  const c = compareTraces(actual, predicted, { ignoreComprehensions: opts.ignoreComprehensions });
  return {
    ...base,
    metrics: c.metrics,
    actual: actualSummary,
    predicted: {
      status: predicted.status,
      result: predicted.result,
      error: predicted.error,
      finish: predicted.finish,
      frames: predicted.frames.length,
      ...(predicted.message ? { message: predicted.message } : {}),
    },
    halting: c.halting,
  };
}

/** "Pyodide 314.0.7 (Python 3.14.0)" or "CPython 3.11.7": true from Python 3.12 on. */
export function inlinesComprehensions(version: string): boolean {
  const m = /Python (\d+)\.(\d+)/.exec(version);
  return m !== null && (Number(m[1]) > 3 || (Number(m[1]) === 3 && Number(m[2]) >= 12));
}

function message(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

class Progress {
  private done = 0;
  private lastLine = -1;
  constructor(private readonly total: number) {}
  tick(id: string): void {
    this.done++;
    if (process.stderr.isTTY) {
      process.stderr.write(`\rbench ${this.done}/${this.total} ${id.slice(0, 40).padEnd(40)}`);
      if (this.done === this.total) process.stderr.write("\n");
      return;
    }
    // Not a terminal (a log file, a test): a line per tenth, not per program.
    const tenth = Math.floor((this.done * 10) / this.total);
    if (tenth !== this.lastLine || this.done === this.total) {
      this.lastLine = tenth;
      process.stderr.write(`bench ${this.done}/${this.total}\n`);
    }
  }
}

/** Writes result lines in dataset order although programs finish out of order. */
class OrderedWriter {
  private next = 0;
  private readonly pending = new Map<number, BenchResult[]>();
  constructor(private readonly stream: WriteStream | null) {}
  /** A program's lines: one, or one per predictor on a leaderboard. */
  put(i: number, lines: BenchResult[]): void {
    this.pending.set(i, lines);
    while (this.pending.has(this.next)) {
      const done = this.pending.get(this.next)!;
      this.pending.delete(this.next);
      this.next++;
      for (const line of done) this.stream?.write(`${JSON.stringify(line)}\n`);
    }
  }
  close(): Promise<void> {
    const s = this.stream;
    if (!s) return Promise.resolve();
    return new Promise((resolve, reject) => {
      s.on("error", reject);
      s.end(() => resolve());
    });
  }
}

export async function run(argv: string[]): Promise<number> {
  let opts: Options;
  try {
    const parsed = parseOptions(argv);
    if (parsed === "help") {
      process.stdout.write(HELP);
      return 0;
    }
    opts = parsed;
  } catch (err) {
    if (err instanceof UsageError) {
      process.stderr.write(`cwm bench: ${err.message}\n\n${HELP}`);
      return 2;
    }
    throw err;
  }
  try {
    return await bench(opts);
  } catch (err) {
    if (err instanceof UsageError) {
      process.stderr.write(`cwm bench: ${err.message}\n`);
      return 2;
    }
    throw err;
  }
}

async function bench(opts: Options): Promise<number> {
  let text: string;
  try {
    text = await readFile(opts.dataset, "utf8");
  } catch (err) {
    throw new UsageError(`cannot read the dataset ${opts.dataset}: ${message(err)}`);
  }
  const { programs: all, errors: lineErrors } = parseDataset(text);
  for (const e of lineErrors) process.stderr.write(`cwm bench: ${opts.dataset} line ${e.line}: ${e.message}\n`);
  const programs = opts.limit ? all.slice(0, opts.limit) : all;
  if (programs.length === 0) throw new UsageError(`no programs to run in ${opts.dataset}`);

  const board = opts.predictors !== undefined;
  const names = opts.predictors ?? [opts.replay ? "replay" : opts.backend!];
  const predictors: BenchPredictor[] = [];
  for (const name of names) predictors.push(name === "replay" ? await replayPredictor(opts.replay!) : await livePredictor(name, opts));
  const stream = opts.out ? createWriteStream(opts.out, { encoding: "utf8" }) : null;
  const writer = new OrderedWriter(stream);
  const { createNodeTracer } = await import("@/lib/executor/node");
  const workers = Math.min(opts.concurrency, programs.length);
  // Pyodide runs on this thread, so more than one instance only costs memory; CPython
  // interpreters are processes and run side by side.
  const tracers = await Promise.all(
    Array.from({ length: opts.python ? workers : 1 }, () => createNodeTracer(opts.python ? { python: opts.python } : {})),
  );
  process.stderr.write(`bench: ${programs.length} programs, ground truth ${tracers[0].version}, predictions from ${predictors.map((x) => x.label).join(", ")}\n`);
  if (!opts.ignoreComprehensions && inlinesComprehensions(tracers[0].version)) {
    process.stderr.write(
      "bench: this Python inlines comprehensions (3.12+) while CWM predicts ≤ 3.11 comprehension frames; consider --ignore-comprehensions or --python python3.11\n",
    );
  }
  // results[k][i]: predictor k on program i.
  const results: BenchResult[][] = predictors.map(() => new Array<BenchResult>(programs.length));
  const progress = new Progress(programs.length);
  let inputErrors = 0;
  let next = 0;
  try {
    await Promise.all(
      Array.from({ length: workers }, async (_, w) => {
        const tracer = tracers[w % tracers.length];
        for (let i = next++; i < programs.length; i = next++) {
          const p = programs[i];
          // Executed once, whatever the number of predictors.
          const truth = await execute(p, tracer);
          const row = await Promise.all(
            predictors.map(async (pred) => {
              try {
                return await scoreOne(p, truth, pred.predict, opts);
              } catch (err) {
                if (!(err instanceof InputError)) throw err;
                inputErrors++;
                process.stderr.write(`cwm bench: ${err.message}\n`);
                return { id: p.id, code: p.code, call: p.call, metrics: null, actual: null, predicted: null, halting: null, error: err.message } satisfies BenchResult;
              }
            }),
          );
          row.forEach((r, k) => (results[k][i] = board ? { predictor: predictors[k].id, ...r } : r));
          writer.put(i, board ? row.map((r, k) => results[k][i]) : [row[0]]);
          progress.tick(p.id);
        }
      }),
    );
  } finally {
    await Promise.all(tracers.map((t) => t.close()));
    await writer.close();
  }

  for (const [k, list] of results.entries())
    for (const r of list) if (r.error && !r.error.startsWith("no recorded generation")) process.stderr.write(`cwm bench: ${board ? `${predictors[k].label}: ` : ""}${r.id}: ${r.error}\n`);
  const meta = {
    title: board ? `Trace leaderboard: ${opts.dataset}` : `CWM trace benchmark: ${opts.dataset}`,
    dataset: opts.dataset,
    executor: tracers[0].version,
    options: opts.ignoreComprehensions ? ["comprehension frames ignored"] : [],
    playgroundUrl: opts.playgroundUrl,
    generatedAt: new Date().toISOString(),
  };
  if (!board) {
    const summary = summarise(results[0]);
    process.stdout.write(formatSummaryTable(summary));
    if (opts.report) {
      await writeFile(opts.report, renderReport(results[0], summary, { ...meta, predictor: predictors[0].label }), "utf8");
      process.stderr.write(`bench: report written to ${opts.report}\n`);
    }
    if (opts.json) process.stdout.write(`${JSON.stringify(summary)}\n`);
  } else {
    const rows: LeaderboardRow[] = predictors.map((pred, k) => ({ id: pred.id, label: pred.label, summary: summarise(results[k]), ...(pred.id === "baseline-syntax" ? { floor: true } : {}) }));
    process.stdout.write(formatLeaderboard(rows));
    if (opts.report) {
      await writeFile(opts.report, renderLeaderboard(rows.map((r, k) => ({ ...r, results: results[k] })), meta), "utf8");
      process.stderr.write(`bench: report written to ${opts.report}\n`);
    }
    if (opts.json) process.stdout.write(`${JSON.stringify({ programs: programs.length, predictors: rows.map((r) => ({ id: r.id, label: r.label, ...r.summary })) })}\n`);
  }
  return lineErrors.length > 0 || inputErrors > 0 ? 2 : 0;
}
