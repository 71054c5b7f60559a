/** Frame-to-frame similarity on prepared frames, shared by the metrics and the alignment. */
import type { PreparedFrame } from "./prepare";

const has = Object.prototype.hasOwnProperty;

/** Jaccard index of two frames' local names (or name/value pairs); J(∅, ∅) = 1. */
export function jaccard(a: PreparedFrame, p: PreparedFrame, withValues: boolean): number {
  const nx = a.size;
  const ny = p.size;
  if (nx === 0 && ny === 0) return 1;
  if (!a.locals || !p.locals) return 0;
  const [small, big] = nx <= ny ? [a.locals, p.locals] : [p.locals, a.locals];
  let both = 0;
  for (const k in small) {
    if (has.call(big, k) && (!withValues || big[k] === small[k])) both++;
  }
  return both / (nx + ny - both);
}

/**
 * Same event and same normalised state: the same locals (names and values, in any order) or the
 * same value. A frame whose state could not be read never matches.
 */
export function sameState(a: PreparedFrame, p: PreparedFrame): boolean {
  if (a.event !== p.event || !a.readable || !p.readable) return false;
  if (a.locals === null || p.locals === null) return a.locals === p.locals && a.value === p.value;
  if (a.size !== p.size) return false;
  const x = a.locals;
  const y = p.locals;
  for (const k in x) if (!has.call(y, k) || y[k] !== x[k]) return false;
  return true;
}
