/**
 * Which frames only exist because of how one Python version runs comprehensions. Python ≤ 3.11
 * runs a comprehension (and 3.12+ still runs a generator expression) as a function whose first
 * local is the iterator `.0`; Python 3.12+ inlines list/set/dict comprehensions (PEP 709) and
 * instead reports the comprehension's line again on every iteration, in the enclosing scope.
 * The model learned from ≤ 3.11 traces, so a switch drops both kinds on both sides: the `.0`
 * scopes, and a repeated line event of a comprehension line in the same scope. Functions called
 * from inside a comprehension are their own scopes and stay.
 */
import { looksLikeComprehension } from "@/lib/cwm/pyscan";
import type { Frame } from "@/lib/trace/schema";

export const COMPREHENSION_LOCAL = ".0";

interface Scope {
  comprehension: boolean;
  /** Source of the scope's latest line frame. */
  lastLine: string | null;
}

/** keep[i] is false for frames of a comprehension scope (its call, lines, exceptions and return). */
export function comprehensionMask(frames: readonly Frame[]): Uint8Array {
  const keep = new Uint8Array(frames.length).fill(1);
  // One entry per open scope; a call opens one (a generator's resumption too), a return closes it.
  const stack: Scope[] = [];
  for (let i = 0; i < frames.length; i++) {
    const f = frames[i];
    if (f.event === "call") {
      const comprehension = f.locals !== undefined && COMPREHENSION_LOCAL in f.locals;
      stack.push({ comprehension, lastLine: null });
      if (comprehension) keep[i] = 0;
      continue;
    }
    const top = stack[stack.length - 1];
    if (top?.comprehension) keep[i] = 0;
    else if (top && f.event === "line") {
      if (top.lastLine === f.source && looksLikeComprehension(f.source)) keep[i] = 0;
      top.lastLine = f.source;
    }
    if (f.event === "return" && stack.length > 0) stack.pop();
  }
  return keep;
}
