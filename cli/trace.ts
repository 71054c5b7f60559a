/**
 * `npm run cwm -- trace`: run Python for real and print its canonical trace (or CWM trace text).
 * Single file, or a JSON-lines batch traced in one process.
 */
import fs from "node:fs";
import { parseArgs } from "node:util";
import { z } from "zod";
import { createNodeTracer, type NodeTracer } from "@/lib/executor/node";
import type { Budgets } from "@/lib/executor/types";
import { EditSpec } from "@/lib/executor/protocol";
import type { CanonicalTrace } from "@/lib/trace/schema";
import { serializeTrace } from "@/lib/cwm/serialize";

const HELP = `usage:
  npm run cwm -- trace FILE.py [--call EXPR] [--edit K:NAME=EXPR] [--format json|cwm] [budgets] [--python PATH]
  npm run cwm -- trace --jsonl IN.jsonl [--out OUT.jsonl] [budgets] [--python PATH]

Runs the code for real and prints its canonical trace JSON (lib/trace/schema.ts).
Without --call the file's top-level statements are traced (script mode); with --call
(e.g. --call "f([1, 2, 3])") the call is traced. Every trace says whether it can be
trusted: "integrity": "tampered" (with "integrity_notes") when the program interfered
with the tracer, and "introspection": true when its code inspects the interpreter.
Batch lines run one after another in one interpreter, each from a clean state.

  --edit K:NAME=EXPR    a counterfactual: at frame K (0-based index into "frames"; 0 is
                        the entry's call frame) set local NAME to the Python literal EXPR
                        (e.g. --edit 5:s=100, --edit "2:xs=[3, 1]") before that frame is
                        recorded, then keep tracing. The trace's "edit" says whether it was
                        applied and, if not, why (a return frame, an unknown name, a value
                        that is not a literal, a frame never reached); the run goes on.
  --format json|cwm     json (default) or the trace in CWM's token text
  --jsonl IN.jsonl      batch: each line {"id","code","call"} or a CRUXEval record
                        {"id","code","input"} (call = f(<input>)), either with an optional
                        "edit": {"at": K, "name": NAME, "value": EXPR} (as --edit); each
                        output line is {"id", ...canonical trace}; progress on stderr
  --out OUT.jsonl       batch output file (default: stdout)
  --max-steps N         frames before the run stops (default 10000)
  --timeout-ms N        wall time before the run stops (default 5000)
  --max-stdout-bytes N  captured output kept (default 65536)
  --max-repr-chars N    characters of one value kept (default 1000)
  --python PATH         run the tracer under this local Python (e.g. python3) instead of
                        Pyodide. This executes the code as YOUR user on YOUR machine, with
                        no sandbox: only use it for code you trust.

Exit status: 0 when every trace was produced (whatever the program did), 2 on bad
usage or bad input (other batch lines are still processed), 1 on an internal failure.
`;

export const BatchLine = z.union([
  z.object({ id: z.union([z.string(), z.number()]), code: z.string(), call: z.string().nullable().optional(), edit: EditSpec.optional() }).strict(),
  z.object({ id: z.union([z.string(), z.number()]), code: z.string(), input: z.string(), edit: EditSpec.optional() }).passthrough(),
]);
export type BatchLine = z.infer<typeof BatchLine>;

class UsageError extends Error {}

/** Batch runs queued on the tracer at once. */
const WINDOW = 8;

/** `K:NAME=EXPR` → EditSpec; EXPR is everything after the first "=" (it may hold "=" itself). */
export function parseEditFlag(v: string): EditSpec {
  const m = /^(\d+):([^=]*)=([\s\S]*)$/.exec(v);
  if (!m) throw new UsageError(`--edit needs K:NAME=EXPR (e.g. --edit 5:s=100), got "${v}"`);
  const [, k, name, value] = m;
  const at = Number(k);
  if (!Number.isSafeInteger(at)) throw new UsageError(`--edit: frame index ${k} is too large`);
  if (name.trim() === "") throw new UsageError(`--edit: the name is empty in "${v}"`);
  if (value.trim() === "") throw new UsageError(`--edit: the value is empty in "${v}" (give a Python literal, e.g. 0, 'abc', [1, 2], None)`);
  const r = EditSpec.safeParse({ at, name: name.trim(), value });
  if (!r.success) throw new UsageError(`--edit: ${r.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")}`);
  return r.data;
}

function intFlag(v: string | undefined, name: string): number | undefined {
  if (v === undefined) return undefined;
  if (!/^\d+$/.test(v) || Number(v) <= 0) throw new UsageError(`--${name} needs a positive integer, got "${v}"`);
  return Number(v);
}

export async function run(argv: string[]): Promise<number> {
  let args;
  try {
    args = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        call: { type: "string" },
        edit: { type: "string" },
        format: { type: "string" },
        jsonl: { type: "string" },
        out: { type: "string" },
        "max-steps": { type: "string" },
        "timeout-ms": { type: "string" },
        "max-stdout-bytes": { type: "string" },
        "max-repr-chars": { type: "string" },
        python: { type: "string" },
        help: { type: "boolean", short: "h" },
      },
    });
  } catch (err) {
    process.stderr.write(`cwm trace: ${(err as Error).message}\n\n${HELP}`);
    return 2;
  }
  const v = args.values;
  if (v.help) {
    process.stdout.write(HELP);
    return 0;
  }
  let budgets: Partial<Budgets>;
  let edit: EditSpec | null = null;
  try {
    budgets = {
      maxSteps: intFlag(v["max-steps"], "max-steps"),
      timeoutMs: intFlag(v["timeout-ms"], "timeout-ms"),
      maxStdoutBytes: intFlag(v["max-stdout-bytes"], "max-stdout-bytes"),
      maxReprChars: intFlag(v["max-repr-chars"], "max-repr-chars"),
    };
    if (v.format !== undefined && v.format !== "json" && v.format !== "cwm") throw new UsageError(`--format must be json or cwm, got "${v.format}"`);
    if (v.jsonl === undefined && args.positionals.length !== 1) throw new UsageError("give one FILE.py, or --jsonl IN.jsonl");
    if (v.jsonl !== undefined && args.positionals.length > 0) throw new UsageError("--jsonl takes no FILE.py");
    if (v.jsonl !== undefined && v.edit !== undefined) throw new UsageError('--edit is for one FILE.py; in --jsonl give a line "edit": {"at": K, "name": NAME, "value": EXPR}');
    if (v.edit !== undefined) edit = parseEditFlag(v.edit);
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    process.stderr.write(`cwm trace: ${err.message}\n\n${HELP}`);
    return 2;
  }
  return v.jsonl !== undefined
    ? runBatch(v.jsonl, v.out, budgets, v.python)
    : runFile(args.positionals[0], v.call, v.format === "cwm" ? "cwm" : "json", budgets, v.python, edit);
}

function readText(file: string): string | null {
  try {
    return fs.readFileSync(file, "utf8");
  } catch (err) {
    process.stderr.write(`cwm trace: cannot read ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}\n`);
    return null;
  }
}

async function runFile(file: string, call: string | undefined, format: "json" | "cwm", budgets: Partial<Budgets>, python?: string, edit: EditSpec | null = null): Promise<number> {
  const code = readText(file);
  if (code === null) return 2;
  const tracer = await createNodeTracer({ python });
  try {
    const trace = await tracer.trace({ code, call: call ?? null, budgets, edit });
    process.stdout.write(format === "cwm" ? `${serializeTrace(trace, { seeded: false })}\n` : `${JSON.stringify(trace, null, 2)}\n`);
    return 0;
  } finally {
    await tracer.close();
  }
}

async function runBatch(inFile: string, outFile: string | undefined, budgets: Partial<Budgets>, python?: string): Promise<number> {
  const text = readText(inFile);
  if (text === null) return 2;
  let out: NodeJS.WritableStream = process.stdout;
  if (outFile !== undefined) {
    try {
      fs.writeFileSync(outFile, "");
    } catch (err) {
      process.stderr.write(`cwm trace: cannot write ${outFile}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}\n`);
      return 2;
    }
    out = fs.createWriteStream(outFile, { flags: "a" });
  }
  const lines = text.split("\n");
  if (lines[lines.length - 1].trim() === "") lines.pop();
  const progress = new Progress(lines.length);
  let bad = 0;
  let tracer: NodeTracer | null = null;
  // Up to WINDOW runs are queued on the tracer, so it goes from one program to the next while
  // this thread writes the previous results; output stays in input order.
  const queue: { line: number; id?: string | number; trace?: Promise<CanonicalTrace>; error?: string }[] = [];
  const writeHead = async (): Promise<void> => {
    const job = queue.shift()!;
    progress.tick(job.line);
    if (job.error !== undefined) {
      bad++;
      progress.clear();
      process.stderr.write(`cwm trace: ${inFile}:${job.line + 1}: ${job.error}; line skipped\n`);
      return;
    }
    const trace = await job.trace!;
    if (!out.write(`${JSON.stringify({ id: job.id, ...trace })}\n`)) await new Promise<void>((r) => out.once("drain", () => r()));
  };
  try {
    tracer = await createNodeTracer({ python });
    for (let i = 0; i < lines.length; i++) {
      const raw = lines[i];
      if (raw.trim() === "") continue;
      let item: BatchLine;
      try {
        item = BatchLine.parse(JSON.parse(raw));
      } catch (err) {
        queue.push({ line: i, error: err instanceof z.ZodError ? badLine(raw) : `bad JSON (${(err as Error).message})` });
        continue;
      }
      const call = "input" in item ? `f(${item.input})` : (item.call ?? null);
      const trace = tracer.trace({ code: item.code, call, budgets, edit: item.edit ?? null });
      trace.catch(() => undefined); // awaited in order by writeHead
      queue.push({ line: i, id: item.id, trace });
      while (queue.filter((j) => j.trace).length >= WINDOW) await writeHead();
    }
    while (queue.length) await writeHead();
    progress.tick(lines.length);
    progress.done();
  } finally {
    await tracer?.close();
    if (out !== process.stdout) await new Promise<void>((r) => out.end(() => r()));
  }
  if (bad > 0) process.stderr.write(`cwm trace: ${bad} of ${lines.length} lines skipped\n`);
  return bad > 0 ? 2 : 0;
}

/** Why a JSON line is not a BatchLine, naming a bad "edit" apart from the rest. */
function badLine(raw: string): string {
  const v = JSON.parse(raw) as unknown;
  if (v !== null && typeof v === "object" && "edit" in v) {
    const r = EditSpec.safeParse((v as { edit: unknown }).edit);
    if (!r.success) {
      const why = r.error.issues.map((i) => `${["edit", ...i.path].join(".")}: ${i.message}`).join("; ");
      return `bad "edit", expected {"at": K (integer >= 0), "name": NAME, "value": EXPR (a Python literal as text)}: ${why}`;
    }
  }
  return "expected {id, code, call} or {id, code, input}, each with an optional edit";
}

/** A one-line progress bar on stderr when it is a terminal, else a line every 10%. */
class Progress {
  private lastDecile = -1;
  constructor(private readonly total: number) {}
  tick(done: number): void {
    if (this.total === 0) return;
    if (process.stderr.isTTY) {
      const width = 30;
      const fill = Math.round((done / this.total) * width);
      process.stderr.write(`\r[${"#".repeat(fill)}${".".repeat(width - fill)}] ${done}/${this.total}`);
      return;
    }
    const decile = Math.floor((done / this.total) * 10);
    if (decile > this.lastDecile) {
      this.lastDecile = decile;
      process.stderr.write(`traced ${done}/${this.total}\n`);
    }
  }
  clear(): void {
    if (process.stderr.isTTY) process.stderr.write("\r\x1b[K");
  }
  done(): void {
    if (process.stderr.isTTY) process.stderr.write("\n");
  }
}
