/**
 * Parses answers as Python literals in the sandbox (classroom.md: "parse it as a Python literal
 * *in the sandbox* (never on the server) and compare reprs"). Learners type anything; only the
 * sandboxed worker ever evaluates it, with ast.literal_eval, which builds literals and nothing
 * else. All texts of a scoring go in one run: each run costs a fresh interpreter.
 */
import { z } from "zod";
import type { Executor } from "@/lib/executor/types";
import type { Normalised } from "./answers";

/** Texts per run: bounded so one run stays far below the executor's step and output budgets. */
const BATCH = 200;
/** Longest text parsed; longer answers are compared as text (answers are at most 200 characters). */
export const MAX_LITERAL_CHARS = 2_000;

// The reprs travel back through stdout as one JSON line after a marker, so a program's own
// output (there is none: this is our code) could never be mistaken for it.
const MARKER = "#cwm-literals#";
const CODE = `import ast, json

def normalise(texts):
    out = []
    for t in texts:
        try:
            out.append(repr(ast.literal_eval(t)))
        except Exception:
            out.append(None)
    print(${JSON.stringify(MARKER)} + json.dumps(out))
`;

const Reprs = z.array(z.string().nullable());

/** A Python string literal for `s` (JSON's escapes are all valid Python escapes). */
function pyString(s: string): string {
  return JSON.stringify(s);
}

async function runBatch(executor: Executor, texts: string[]): Promise<(string | null)[] | null> {
  const call = `normalise([${texts.map(pyString).join(", ")}])`;
  const { done } = executor.run({ code: CODE, call, budgets: { maxSteps: 100_000, maxStdoutBytes: 4 * 1024 * 1024, timeoutMs: 10_000 } });
  const trace = await done;
  if (trace.status !== "returned") return null;
  const at = trace.stdout.lastIndexOf(MARKER);
  if (at < 0) return null;
  try {
    const r = Reprs.safeParse(JSON.parse(trace.stdout.slice(at + MARKER.length).trim()));
    return r.success && r.data.length === texts.length ? r.data : null;
  } catch {
    return null;
  }
}

/**
 * text → repr(ast.literal_eval(text.trim())) or null when it is not a literal. A batch the
 * sandbox could not run leaves its texts out of the map: they are then compared as trimmed text.
 */
export async function normaliseInSandbox(executor: Executor, texts: readonly string[]): Promise<Normalised> {
  const unique = [...new Set(texts.map((t) => t.trim()))].filter((t) => t !== "" && t.length <= MAX_LITERAL_CHARS);
  const out = new Map<string, string | null>();
  for (let i = 0; i < unique.length; i += BATCH) {
    const batch = unique.slice(i, i + BATCH);
    let reprs: (string | null)[] | null = null;
    try {
      reprs = await runBatch(executor, batch);
    } catch {
      reprs = null;
    }
    if (reprs) batch.forEach((t, j) => out.set(t, reprs[j]));
  }
  return out;
}
