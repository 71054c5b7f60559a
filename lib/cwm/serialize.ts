/**
 * A canonical trace written as CWM trace text: what the model would have to generate to predict
 * it exactly. Used to show a real trace in the model's own format and to test the parser.
 */
import { UNCHANGED } from "@/lib/cwm/parse";
import { pyJsonObject, pyJsonString } from "@/lib/cwm/pyjson";
import { TOK } from "@/lib/cwm/tokens";
import type { CanonicalTrace, Frame, Locals } from "@/lib/trace/schema";

export interface SerializeOptions {
  /** Leave out frame 0 (main's call frame), which the prompt already holds (default true). */
  seeded?: boolean;
}

export function serializeTrace(trace: Pick<CanonicalTrace, "frames" | "status">, opts: SerializeOptions = {}): string {
  const seeded = opts.seeded !== false;
  const out: string[] = [];
  const stack: Locals[] = [];
  trace.frames.forEach((f, i) => {
    const text = serializeFrame(f, stack);
    if (!(seeded && i === 0)) out.push(text);
  });
  if (trace.status === "returned" || trace.status === "raised") out.push(TOK.EOS);
  return out.join("");
}

/** One frame's text; `stack` holds each open scope's last full locals and is updated. */
export function serializeFrame(f: Frame, stack: Locals[]): string {
  const source = `${f.source}\n`;
  switch (f.event) {
    case "call": {
      const locals = f.locals ?? {};
      stack.push(locals);
      return `${TOK.CALL}${pyJsonObject(locals)}${TOK.ACTION}${source}${TOK.FRAME}`;
    }
    case "line": {
      const locals = f.locals ?? {};
      const prev = stack.length ? stack[stack.length - 1] : {};
      // Written straight to text: a diff object per frame of a thousand locals is slow to build.
      const parts: string[] = [];
      for (const k of Object.keys(locals)) {
        const v = locals[k];
        parts.push(`${pyJsonString(k)}: ${pyJsonString(Object.hasOwn(prev, k) && prev[k] === v ? UNCHANGED : v)}`);
      }
      if (stack.length) stack[stack.length - 1] = locals;
      else stack.push(locals);
      return `${TOK.LINE}{${parts.join(", ")}}${TOK.ACTION}${source}${TOK.FRAME}`;
    }
    case "return":
      stack.pop();
      return `${TOK.RETURN}${TOK.ACTION}${source}${TOK.ARG}${pyJsonString(f.value ?? "None")}${TOK.FRAME}`;
    case "exception":
      return `${TOK.EXCEPTION}${TOK.ACTION}${source}${TOK.ARG}${pyJsonString(f.value ?? "")}${TOK.FRAME}`;
  }
}
