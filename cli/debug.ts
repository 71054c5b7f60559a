/**
 * `npm run cwm -- debug FILE.py [--call EXPR] --backend vllm|fastgen [--url URL] [--script "s,n,c"]`:
 * CWM's neural debugger (the verbs of Meta's demos/cwmdbg.py) with reality beside it. The model
 * is asked one frame per request; the real trace is computed once (and again after `set`).
 */
import fs from "node:fs";
import readline from "node:readline";
import { buildPrompt } from "@/lib/cwm/prompt";
import { applyEdit, INITIAL_DEBUG_STATE, runVerb, type DebugState, type EngineDeps, type Verb } from "@/lib/debugger/engine";
import { canonicalFrames, fullLocals } from "@/lib/debugger/frames";
import { createNodeTracer, type NodeTracer } from "@/lib/executor/node";
import { literalRepr } from "@/lib/predictors/pyliteral";
import { canStep, stepOnce } from "@/lib/predictors/step";
import type { CanonicalTrace, Frame } from "@/lib/trace/schema";
import { makePredictor, parseArgs, settingsOf, UsageError } from "./predict";

const USAGE = `usage:
  npm run cwm -- debug FILE.py [--call EXPR] --backend vllm|fastgen [--url URL] [--model NAME]
      [--api-key KEY] [--tokenizer PATH] [--temperature T] [--script "s,s,n,set x=7,c"]

Steps through CWM's prediction of the program one frame at a time (one request per frame),
with the real execution beside it. Commands (as in CWM's demos/cwmdbg.py):
  s, step          one frame (into a call)
  n, next          the next line, stepping over a call (the model predicts its return value)
  o, out           to the return of the current function
  b, back          drop the last frame (no request)
  c, continue [L]  to the end, or to the first frame at line L of your file
  p, print [NAME]  the current locals (or one), model and reality
  set NAME=EXPR    set a local at the current frame to a Python literal, on both sides
  reset            back to the entry frame
  q, quit          leave;   h, help   this list
--script runs the commands (comma-separated) without a prompt and prints the session as
JSON lines, one per command; without it the commands are read from the terminal.
`;

const VALUE_FLAGS = new Set(["--call", "--backend", "--url", "--model", "--api-key", "--tokenizer", "--temperature", "--top-p", "--max-tokens", "--script"]);

export type Command =
  | { kind: "verb"; verb: Verb }
  | { kind: "print"; name: string | null }
  | { kind: "set"; name: string; expr: string }
  | { kind: "help" }
  | { kind: "quit" };

/** One command line; throws UsageError with what is wrong. */
export function parseCommand(text: string): Command {
  const t = text.trim();
  const [head, ...restParts] = t.split(/\s+/);
  const rest = restParts.join(" ");
  switch (head) {
    case "s":
    case "step":
      return { kind: "verb", verb: { verb: "step" } };
    case "n":
    case "next":
      return { kind: "verb", verb: { verb: "next" } };
    case "o":
    case "out":
      return { kind: "verb", verb: { verb: "out" } };
    case "b":
    case "back":
      return { kind: "verb", verb: { verb: "back" } };
    case "reset":
      return { kind: "verb", verb: { verb: "reset" } };
    case "c":
    case "continue": {
      if (rest === "") return { kind: "verb", verb: { verb: "continue" } };
      if (!/^\d+$/.test(rest)) throw new UsageError(`continue takes a line number, got "${rest}"`);
      return { kind: "verb", verb: { verb: "continue", line: Number(rest) } };
    }
    case "p":
    case "print":
      return { kind: "print", name: rest === "" ? null : rest };
    case "set": {
      const m = /^([A-Za-z_][A-Za-z0-9_]*)\s*=\s*([\s\S]+)$/.exec(rest);
      if (!m) throw new UsageError(`set needs NAME=EXPR (e.g. set x=7), got "${rest}"`);
      return { kind: "set", name: m[1], expr: m[2].trim() };
    }
    case "h":
    case "help":
    case "?":
      return { kind: "help" };
    case "q":
    case "quit":
      return { kind: "quit" };
    default:
      throw new UsageError(`unknown command "${t}" (h for help)`);
  }
}

/** Splits a --script at commas outside brackets and quotes (`set xs=[1, 2]` stays one command). */
export function splitScript(script: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let quote: string | null = null;
  let cur = "";
  for (let i = 0; i < script.length; i++) {
    const ch = script[i];
    if (quote) {
      if (ch === "\\") {
        cur += ch + (script[i + 1] ?? "");
        i++;
        continue;
      }
      if (ch === quote) quote = null;
    } else if (ch === "'" || ch === '"') quote = ch;
    else if ("([{".includes(ch)) depth++;
    else if (")]}".includes(ch)) depth = Math.max(0, depth - 1);
    else if (ch === "," && depth === 0) {
      if (cur.trim()) out.push(cur.trim());
      cur = "";
      continue;
    }
    cur += ch;
  }
  if (cur.trim()) out.push(cur.trim());
  return out;
}

interface Session {
  state: DebugState;
  real: CanonicalTrace;
  /** The real trace before the last `set`, and the model's state then. */
  deps: EngineDeps;
}

/** What one command did, as printed in --script mode. */
export interface Entry {
  cmd: string;
  ok: boolean;
  error?: string;
  index?: number;
  model?: Frame | null;
  real?: Frame | null;
  done?: boolean;
  note?: string;
  value?: { model: string | null; real: string | null } | { model: Record<string, string>; real: Record<string, string> };
  edit?: { name: string; repr: string; real: { applied: boolean; repr?: string; error?: string } | null };
}

export async function run(argv: string[]): Promise<number> {
  if (argv.includes("--help") || argv.includes("-h")) {
    process.stdout.write(USAGE);
    return 0;
  }
  let tracer: NodeTracer | null = null;
  try {
    const { flags, files } = parseArgs(argv, VALUE_FLAGS, new Set());
    if (files.length !== 1) throw new UsageError("give one Python file");
    let code: string;
    try {
      code = fs.readFileSync(files[0], "utf8");
    } catch (err) {
      throw new UsageError(`cannot read ${files[0]}: ${err instanceof Error ? err.message : String(err)}`);
    }
    const call = flags.get("--call") ?? null;
    const predictor = makePredictor(flags);
    if (!canStep(predictor)) throw new UsageError(`the debugger needs a model backend (--backend vllm or fastgen); ${predictor.label} cannot be driven one frame at a time`);
    const settings = settingsOf(flags);
    const prompt = buildPrompt(code, call);
    const model = await predictor.resolveModel();
    const info = { id: predictor.id, model, label: predictor.label };
    tracer = await createNodeTracer();
    const t = tracer;
    const real = await t.trace({ code, call });
    const session: Session = {
      state: INITIAL_DEBUG_STATE,
      real,
      deps: {
        program: prompt.program,
        predictor: info,
        real: () => session.real.frames,
        step: async (frames, force, signal) => {
          const r = await stepOnce(predictor, { prompt, frames, force, settings, signal });
          return r.end === "frame" ? { end: "frame", frame: r.frame } : r.end === "eos" ? { end: "eos" } : { end: r.end, text: r.text };
        },
      },
    };
    const exec = (cmdText: string) => execute(session, cmdText, (edit) => t.trace({ code, call, edit }));
    const script = flags.get("--script");
    if (script !== undefined) {
      let failed = false;
      for (const c of splitScript(script)) {
        const e = await exec(c);
        process.stdout.write(`${JSON.stringify(e)}\n`);
        if (!e.ok) failed = true;
        if (c === "q" || c === "quit") break;
      }
      return failed ? 1 : 0;
    }
    process.stdout.write(`CWM debugger: ${info.label}${model ? ` (${model})` : ""} beside reality (${real.executor ?? "Pyodide"}). h for help.\n`);
    process.stdout.write(describe(session, null));
    const rl = readline.createInterface({ input: process.stdin, output: process.stdout, prompt: ">> " });
    rl.prompt();
    for await (const line of rl) {
      if (line.trim() === "") {
        rl.prompt();
        continue;
      }
      let cmd: Command | null = null;
      try {
        cmd = parseCommand(line);
      } catch (err) {
        process.stdout.write(`${err instanceof Error ? err.message : String(err)}\n`);
      }
      if (cmd?.kind === "quit") break;
      if (cmd?.kind === "help") process.stdout.write(USAGE);
      else if (cmd) process.stdout.write(describe(session, await exec(line)));
      rl.prompt();
    }
    rl.close();
    return 0;
  } catch (err) {
    if (err instanceof UsageError) {
      process.stderr.write(`cwm debug: ${err.message}\n\n${USAGE}`);
      return 2;
    }
    process.stderr.write(`cwm debug: ${err instanceof Error ? err.message : String(err)}\n`);
    return 1;
  } finally {
    await tracer?.close();
  }
}

type RunEdited = (edit: { at: number; name: string; value: string }) => Promise<CanonicalTrace>;

async function execute(s: Session, text: string, runEdited: RunEdited): Promise<Entry> {
  let cmd: Command;
  try {
    cmd = parseCommand(text);
  } catch (err) {
    return { cmd: text, ok: false, error: err instanceof Error ? err.message : String(err) };
  }
  try {
    if (cmd.kind === "quit" || cmd.kind === "help") return { cmd: text, ok: true };
    if (cmd.kind === "verb") {
      s.state = await runVerb(s.state, cmd.verb, s.deps, new AbortController().signal);
      return { cmd: text, ok: true, ...position(s) };
    }
    const here = current(s);
    const { model, real } = here;
    if (cmd.kind === "print") {
      const ml = fullLocals(s.state.frames, s.state.frames.length - 1);
      const rl = real?.locals ?? {};
      if (cmd.name === null) return { cmd: text, ok: true, ...position(s, here), value: { model: ml, real: rl } };
      return { cmd: text, ok: true, ...position(s, here), value: { model: Object.hasOwn(ml, cmd.name) ? ml[cmd.name] : null, real: Object.hasOwn(rl, cmd.name) ? rl[cmd.name] : null } };
    }
    // set: reality re-runs with the value written at its paired frame (evaluated in the sandbox);
    // the model gets the repr the sandbox made, or, when reality could not take it, the literal's own.
    if (!model || s.state.frames.length === 0) throw new UsageError("step into the program first: the entry frame has no locals to edit");
    const at = s.state.paired[s.state.paired.length - 1];
    const edited = await runEdited({ at, name: cmd.name, value: cmd.expr });
    const applied = edited.edit?.applied === true;
    const repr = applied ? edited.edit!.repr! : literalRepr(cmd.expr);
    if (repr === null) throw new UsageError(`${cmd.expr} is not a Python literal (${edited.edit?.error ?? "reality could not evaluate it"})`);
    if (applied) s.real = edited;
    s.state = applyEdit(s.state, cmd.name, repr);
    return {
      cmd: text,
      ok: true,
      ...position(s),
      edit: { name: cmd.name, repr, real: edited.edit ? { applied: edited.edit.applied, ...(edited.edit.repr ? { repr: edited.edit.repr } : {}), ...(edited.edit.error ? { error: edited.edit.error } : {}) } : null },
    };
  } catch (err) {
    return { cmd: text, ok: false, error: err instanceof Error ? err.message : String(err), ...position(s) };
  }
}

function current(s: Session): { model: Frame | null; real: Frame | null } {
  const frames = canonicalFrames(s.deps.program, s.state.frames, s.deps.predictor);
  const realIndex = s.state.paired[s.state.paired.length - 1];
  return { model: frames[frames.length - 1] ?? null, real: s.real.frames[realIndex] ?? null };
}

/** `at`: the current frames when the caller has them already (each costs a parse of the whole trace). */
function position(s: Session, at: { model: Frame | null; real: Frame | null } = current(s)): Pick<Entry, "index" | "model" | "real" | "done" | "note"> {
  const { model, real } = at;
  return { index: s.state.frames.length, model, real, done: s.state.done, ...(s.state.note ? { note: s.state.note } : {}) };
}

function show(f: Frame | null): string {
  if (!f) return "(none)";
  const where = `${f.event.padEnd(9)} ${String(f.line ?? "?").padStart(3)}  ${f.source.trim()}`;
  if (f.event === "return" || f.event === "exception") return `${where}  -> ${f.value ?? ""}`;
  const locals = Object.entries(f.locals ?? {})
    .map(([k, v]) => `${k}=${v}`)
    .join(", ");
  return `${where}${locals ? `  {${locals}}` : ""}`;
}

/** The terminal view of one command's outcome: model and reality, one line each. */
function describe(s: Session, e: Entry | null): string {
  if (e && !e.ok) return `${e.error}\n`;
  const { model, real } = current(s);
  const lines = [`[${s.state.frames.length}] model:   ${show(model)}`, `    reality: ${show(real)}`];
  if (e?.value) lines.push(`    value:   model ${JSON.stringify(e.value.model)}  reality ${JSON.stringify(e.value.real)}`);
  if (e?.edit) lines.push(`    set ${e.edit.name} = ${e.edit.repr} (reality: ${e.edit.real?.applied ? "applied" : (e.edit.real?.error ?? "not applied")})`);
  if (s.state.note) lines.push(`    note: ${s.state.note}`);
  if (s.state.done) lines.push("    the model's trace has ended (EOS)");
  return `${lines.join("\n")}\n`;
}
