/**
 * "Syntax is not execution": a strawman that reads the program the way a pure syntax model
 * would. Each line of the entry function once, in text order; no loop repetition; no descent
 * into other calls; values only where a literal makes them obvious. It never runs the code, and
 * it is labelled as a baseline everywhere, never as CWM.
 */
import { buildProgram, MAIN_DEF, frameLine, type Program } from "@/lib/cwm/program";
import { bracketDelta, identAt, lineShape, matchingBracket, simpleAssignment, simpleCall, skipSpaces } from "@/lib/cwm/pyscan";
import { setOwn } from "@/lib/cwm/pyjson";
import { serializeFrame } from "@/lib/cwm/serialize";
import { TOK } from "@/lib/cwm/tokens";
import { OUTPUT_BUDGETS, type OutputBudgets } from "@/lib/predictors/budget";
import { drive, nextTask } from "@/lib/predictors/drive";
import { BASELINE_ID, BASELINE_LABEL } from "@/lib/predictors/protocol";
import { literalRepr, splitTopLevel } from "@/lib/predictors/pyliteral";
import type { Predictor } from "@/lib/predictors/types";
import type { CanonicalTrace, Frame, Locals } from "@/lib/trace/schema";

export { BASELINE_ID, BASELINE_LABEL };

/** Text handed to the parser at a time, and the longest stretch of work between two pauses. */
const SLICE_CHARS = 8 * 1024;
const PAUSE_AFTER_MS = 2;

/** Clauses shown by nothing of their own: the next statement is what runs. */
const SKIPPED = new Set(["else", "finally", "try"]);

/**
 * Stops building frames just past the output budget: the budget itself is applied (and the cut
 * labelled) by drive(), like for every predictor, but 1,500 assignments must not first build
 * a 30 MB trace only to have it cut. Sizes are estimates kept up to date as locals change, so
 * counting costs nothing per frame.
 */
class Work {
  frames = 0;
  chars = 0;
  constructor(private readonly budgets: OutputBudgets) {}
  add(f: Frame, localsChars: number): void {
    this.frames++;
    this.chars += f.source.length + 64 + localsChars;
  }
  get over(): boolean {
    return this.frames > this.budgets.maxFrames || this.chars > this.budgets.maxOutputChars;
  }
  /** The estimated size of one local in a frame's JSON. */
  entry(k: string, v: string): number {
    return k.length + Math.min(v.length, this.budgets.maxReprChars) + 8;
  }
}

function localsChars(locals: Locals, work: Work): number {
  let n = 0;
  for (const [k, v] of Object.entries(locals)) n += work.entry(k, v);
  return n;
}

/**
 * The baseline's frames for a program, one at a time, so the caller can pause between them.
 * Returns the status: "returned", or "step_limit" when it stopped at the budget.
 */
export function* baselineFrames(
  code: string,
  call?: string | null,
  budgets: OutputBudgets = OUTPUT_BUDGETS,
): Generator<Frame, "returned" | "step_limit"> {
  const work = new Work(budgets);
  const p = buildProgram(code, call);
  const lines = p.program.slice(0, p.program.endsWith("\n") ? -1 : undefined).split("\n");
  const entryDef = p.entryDef ?? MAIN_DEF;
  const mainLine = lines.findIndex((l) => l.startsWith(entryDef)) + 1;
  const emit = (f: Frame, size = 0): Frame => {
    work.add(f, size);
    return f;
  };
  yield emit({ event: "call", line: frameLine(p, mainLine), source: entryDef, locals: {} });
  let last: Frame | null = null;
  if (p.mode === "call") {
    const ret = lines[mainLine]; // "    return <call>"
    yield emit({ event: "line", line: frameLine(p, mainLine + 1), source: ret, locals: {} });
    const c = simpleCall(call!);
    const defAt = c ? lines.findIndex((l) => definesFunction(l, c.name)) + 1 : 0;
    let value = "None";
    if (c && defAt > 0) {
      const locals = bindArgs(lines[defAt - 1], c.args);
      yield emit({ event: "call", line: frameLine(p, defAt), source: lines[defAt - 1], locals }, localsChars(locals, work));
      const body = readBody(p, lines, defAt, locals, work);
      let r = body.next();
      for (; !r.done; r = body.next()) yield (last = r.value);
      if (work.over) return "step_limit";
      yield emit({ event: "return", line: last?.line ?? frameLine(p, defAt), source: last?.source ?? lines[defAt - 1], value: r.value });
      value = r.value;
    }
    yield emit({ event: "return", line: frameLine(p, mainLine + 1), source: ret, value });
  } else {
    const body = readBody(p, lines, mainLine, {}, work);
    let r = body.next();
    for (; !r.done; r = body.next()) yield (last = r.value);
    if (work.over) return "step_limit";
    yield emit({ event: "return", line: last?.line ?? frameLine(p, mainLine), source: last?.source ?? entryDef, value: r.value });
  }
  return "returned";
}

/** The baseline's whole trace, in canonical form. */
export function baselineTrace(code: string, call?: string | null, budgets: OutputBudgets = OUTPUT_BUDGETS): Pick<CanonicalTrace, "frames" | "status"> {
  const frames: Frame[] = [];
  const gen = baselineFrames(code, call, budgets);
  let r = gen.next();
  for (; !r.done; r = gen.next()) frames.push(r.value);
  return { frames, status: r.value };
}

/** `def NAME(` at the start of a line. */
function definesFunction(line: string, name: string): boolean {
  if (identAt(line, 0) !== "def") return false;
  const at = skipSpaces(line, 3);
  if (at === 3 || identAt(line, at) !== name) return false;
  return line.charCodeAt(skipSpaces(line, at + name.length)) === 40;
}

/**
 * The statements of the block opened at 1-based program line `head`, each once; returns the
 * value it returns. A frame's locals object is shared with the frames after it until an
 * assignment replaces it (locals are never changed in place), so a line costs no copy.
 */
function* readBody(p: Program, lines: string[], head: number, start: Locals, work: Work): Generator<Frame, string> {
  const headIndent = lineShape(lines[head - 1]).indent;
  let locals: Locals = start;
  let size = localsChars(start, work);
  let returned = "None";
  let skipDeeperThan = -1;
  let open = 0;
  let cont = false;
  for (let i = head; i < lines.length && !work.over; i++) {
    const text = lines[i];
    const shape = lineShape(text);
    if (shape.code === "") continue;
    if (open > 0 || cont) {
      // A continuation line of a statement already shown.
      open += bracketDelta(text);
      cont = text.trimEnd().endsWith("\\");
      continue;
    }
    if (shape.indent <= headIndent) break;
    if (skipDeeperThan >= 0 && shape.indent > skipDeeperThan) continue;
    skipDeeperThan = -1;
    open = Math.max(0, bracketDelta(text));
    cont = text.trimEnd().endsWith("\\");
    if (SKIPPED.has(shape.keyword) && shape.code.slice(shape.keyword.length).trim() === ":") continue;
    const frame: Frame = { event: "line", line: frameLine(p, i + 1), source: text, locals };
    work.add(frame, size);
    yield frame;
    if (shape.head === "def" || shape.head === "class") skipDeeperThan = shape.indent;
    const a = simpleAssignment(shape.code);
    if (a) {
      const v = literalRepr(a.value);
      if (Object.hasOwn(locals, a.name)) size -= work.entry(a.name, locals[a.name]);
      locals = { ...locals };
      if (v !== null) {
        setOwn(locals, a.name, v);
        size += work.entry(a.name, v);
      } else delete locals[a.name];
    }
    if (shape.keyword === "return") {
      const r = shape.code.slice("return".length).trim();
      returned = r === "" ? "None" : (literalRepr(r) ?? (Object.hasOwn(locals, r) ? locals[r] : null) ?? "None");
    }
  }
  return returned;
}

/** Parameters bound to the call's literal arguments; unknown values are left out. */
function bindArgs(defLine: string, argText: string): Locals {
  const openAt = defLine.indexOf("(");
  const closeAt = openAt < 0 ? -1 : matchingBracket(defLine, openAt);
  const params = (closeAt > openAt ? (splitTopLevel(defLine.slice(openAt + 1, closeAt)) ?? []) : [])
    .map((x) => x.split(/[:=]/)[0].trim())
    .filter((x) => x !== "" && x !== "/" && !x.startsWith("*"));
  const args = splitTopLevel(argText) ?? [];
  const out: Locals = {};
  args.forEach((arg, i) => {
    const kw = simpleAssignment(arg);
    const name = kw ? kw.name : params[i];
    const v = literalRepr(kw ? kw.value : arg);
    if (name && v !== null) setOwn(out, name, v);
  });
  return out;
}

export function createBaselinePredictor(): Predictor {
  const info = { id: BASELINE_ID, model: null, label: BASELINE_LABEL };
  return {
    id: BASELINE_ID,
    label: BASELINE_LABEL,
    kind: "baseline",
    status: () => ({ available: true, model: null }),
    resolveModel: async () => null,
    predict(input, sink) {
      // Written as CWM text and read back by the same parser, so the output has the same shape.
      // The text is made frame by frame with pauses, so a large program never stalls the server.
      return drive(info, input, sink, async ({ onText, signal }) => {
        const frames = baselineFrames(input.code, input.call);
        const stack: Locals[] = [];
        let text = "";
        let first = true;
        let since = performance.now();
        let r = frames.next();
        for (; !r.done && !signal.aborted; r = frames.next()) {
          const t = serializeFrame(r.value, stack);
          // Frame 0, main's call, is already in the prompt.
          if (!first) text += t;
          first = false;
          if (text.length >= SLICE_CHARS) {
            onText(text);
            text = "";
          }
          if (performance.now() - since > PAUSE_AFTER_MS) {
            await nextTask();
            since = performance.now();
          }
        }
        if (r.done && r.value === "returned") text += TOK.EOS;
        if (text) onText(text);
        return { finish: r.done && r.value === "returned" ? "eos" : "length" };
      });
    },
  };
}
