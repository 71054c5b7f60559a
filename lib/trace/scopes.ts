import type { Frame } from "@/lib/trace/schema";

/**
 * For each frame, the index of the previous frame of the same function scope, or -1.
 * A call opens a scope (a generator's resumption opens it again), a return closes it; an
 * exception frame stays in its scope. Used to mark values that changed.
 */
export function previousInScope(frames: readonly Frame[]): Int32Array {
  const prev = new Int32Array(frames.length).fill(-1);
  const stack: number[] = [];
  for (let i = 0; i < frames.length; i++) {
    const f = frames[i];
    if (f.event === "call") {
      stack.push(i);
      continue;
    }
    if (stack.length > 0) prev[i] = stack[stack.length - 1];
    if (f.event === "return") stack.pop();
    else if (stack.length > 0) stack[stack.length - 1] = i;
    else stack.push(i);
  }
  return prev;
}

/** Names whose value differs from the previous frame of the same scope (new names included). */
export function changedKeys(frames: readonly Frame[], prev: Int32Array, i: number): Set<string> {
  const f = frames[i];
  const out = new Set<string>();
  if (!f?.locals) return out;
  const p = prev[i] >= 0 ? frames[prev[i]] : undefined;
  const before = p?.locals ?? {};
  for (const [k, v] of Object.entries(f.locals)) if (before[k] !== v) out.add(k);
  return out;
}
