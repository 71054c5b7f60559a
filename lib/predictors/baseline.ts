/**
 * "Syntax is not execution": a strawman that reads the program the way a pure syntax model
 * would. Each line of the entry function once, in text order; no loop repetition; no descent
 * into other calls; values only where a literal makes them obvious. It never runs the code, and
 * it is labelled as a baseline everywhere, never as CWM.
 */
import { buildProgram, MAIN_DEF, frameLine, type Program } from "@/lib/cwm/program";
import { serializeTrace } from "@/lib/cwm/serialize";
import { drive } from "@/lib/predictors/drive";
import { BASELINE_ID, BASELINE_LABEL } from "@/lib/predictors/protocol";

export { BASELINE_ID, BASELINE_LABEL };
import { bracketDelta, literalRepr, splitTopLevel } from "@/lib/predictors/pyliteral";
import type { Predictor } from "@/lib/predictors/types";
import type { CanonicalTrace, Frame, Locals } from "@/lib/trace/schema";


const BLOCK = /^\s*(?:@|async\s+def\b|def\b|class\b)/;
const SKIP = /^\s*(?:else|finally|try)\s*:\s*(?:#.*)?$/;
const ASSIGN = /^\s*([A-Za-z_]\w*)\s*=(?!=)\s*(.+?)\s*(?:#.*)?$/;
const RETURN = /^\s*return\b\s*(.*?)\s*(?:#.*)?$/;

interface Body {
  frames: Frame[];
  returned: string;
}

/** The baseline's frames for a program, in canonical form. */
export function baselineTrace(code: string, call?: string | null): Pick<CanonicalTrace, "frames" | "status"> {
  const p = buildProgram(code, call);
  const lines = p.program.replace(/\n$/, "").split("\n");
  const mainLine = lines.findIndex((l) => l.startsWith(MAIN_DEF)) + 1;
  const frames: Frame[] = [{ event: "call", line: frameLine(p, mainLine), source: MAIN_DEF, locals: {} }];
  const main = readBody(p, lines, mainLine, {});
  if (p.mode === "call") {
    const callText = call!.trim();
    const ret = lines[mainLine]; // "    return <call>"
    frames.push({ event: "line", line: frameLine(p, mainLine + 1), source: ret, locals: {} });
    const m = /^([A-Za-z_]\w*)\s*\(([\s\S]*)\)$/.exec(callText);
    const defAt = m ? lines.findIndex((l) => new RegExp(`^def\\s+${m[1]}\\s*\\(`).test(l)) + 1 : 0;
    let value = "None";
    if (m && defAt > 0) {
      const locals = bindArgs(lines[defAt - 1], m[2]);
      frames.push({ event: "call", line: frameLine(p, defAt), source: lines[defAt - 1], locals });
      const body = readBody(p, lines, defAt, locals);
      frames.push(...body.frames);
      const last = body.frames[body.frames.length - 1];
      frames.push({ event: "return", line: last?.line ?? frameLine(p, defAt), source: last?.source ?? lines[defAt - 1], value: body.returned });
      value = body.returned;
    }
    frames.push({ event: "return", line: frameLine(p, mainLine + 1), source: ret, value });
  } else {
    frames.push(...main.frames);
    const last = main.frames[main.frames.length - 1];
    frames.push({ event: "return", line: last?.line ?? frameLine(p, mainLine), source: last?.source ?? MAIN_DEF, value: main.returned });
  }
  return { frames, status: "returned" };
}

/** The statements of the block opened at 1-based program line `head`, each once. */
function readBody(p: Program, lines: string[], head: number, start: Locals): Body {
  const headIndent = indent(lines[head - 1]);
  const frames: Frame[] = [];
  let locals: Locals = { ...start };
  let returned = "None";
  let skipDeeperThan = -1;
  let open = 0;
  let cont = false;
  for (let i = head; i < lines.length; i++) {
    const text = lines[i];
    if (text.trim() === "" || text.trim().startsWith("#")) continue;
    const ind = indent(text);
    if (open > 0 || cont) {
      // A continuation line of a statement already shown.
      open += bracketDelta(text);
      cont = text.trimEnd().endsWith("\\");
      continue;
    }
    if (ind <= headIndent) break;
    if (skipDeeperThan >= 0 && ind > skipDeeperThan) continue;
    skipDeeperThan = -1;
    open = Math.max(0, bracketDelta(text));
    cont = text.trimEnd().endsWith("\\");
    if (SKIP.test(text)) continue;
    frames.push({ event: "line", line: frameLine(p, i + 1), source: text, locals: { ...locals } });
    if (BLOCK.test(text) && !text.trimStart().startsWith("@")) skipDeeperThan = ind;
    const a = ASSIGN.exec(text);
    if (a) {
      const v = literalRepr(a[2]);
      locals = { ...locals };
      if (v !== null) locals[a[1]] = v;
    }
    const r = RETURN.exec(text);
    if (r) returned = r[1] === "" ? "None" : (literalRepr(r[1]) ?? locals[r[1]] ?? "None");
  }
  return { frames, returned };
}

/** Parameters bound to the call's literal arguments; unknown values are left out. */
function bindArgs(defLine: string, argText: string): Locals {
  const m = /\(([\s\S]*)\)\s*(?:->[^:]*)?:/.exec(defLine);
  const params = (m ? (splitTopLevel(m[1]) ?? []) : [])
    .map((x) => x.split(/[:=]/)[0].trim())
    .filter((x) => x !== "" && x !== "/" && !x.startsWith("*"));
  const args = splitTopLevel(argText) ?? [];
  const out: Locals = {};
  args.forEach((arg, i) => {
    const kw = /^\s*([A-Za-z_]\w*)\s*=(?!=)([\s\S]*)$/.exec(arg);
    const name = kw ? kw[1] : params[i];
    const v = literalRepr(kw ? kw[2] : arg);
    if (name && v !== null) out[name] = v;
  });
  return out;
}

function indent(s: string): number {
  return s.length - s.trimStart().length;
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
      return drive(info, input, sink, async ({ onText }) => {
        onText(serializeTrace(baselineTrace(input.code, input.call)));
        return { finish: "eos" };
      });
    },
  };
}
