/**
 * Maps a predicted source line (text) back to a frame line number. The model writes line text,
 * not numbers; identical lines are told apart by the scope the frame is in and where that scope
 * was last.
 */
import { frameLine, frameSource, START_MARKER, type Program } from "@/lib/cwm/program";
import { lineShape } from "@/lib/cwm/pyscan";

export interface LineHint {
  /** Frame lines [lo, hi] of the block the frame is expected in (a function body). */
  range?: readonly [number, number] | null;
  /** The scope's previous frame line. */
  last?: number | null;
  /** The frame is on the scope's current line (a return, an exception, a lambda's call). */
  stay?: boolean;
}

const COMPOUND_HEADS = new Set(["if", "elif", "else", "for", "while", "try", "except", "finally", "with", "def", "class", "match", "case"]);
const CLAUSES = new Set(["elif", "else", "except", "finally"]);
/** Clauses whose own line is traced (a condition or an exception match is evaluated there). */
const TRACED_CLAUSES = new Set(["elif", "except"]);
/**
 * An if/elif chain is followed this far when listing a line's successors: the list only breaks
 * ties between identical lines, and an unbounded walk would make a chain of n clauses cost n².
 */
const MAX_CLAUSES = 16;

const enum Kind {
  Code = 1,
  BlockHead = 2,
  Compound = 4,
  Loop = 8,
  Clause = 16,
  TracedClause = 32,
}

/**
 * Everything the mapper asks of a line is computed once, in linear passes over the program
 * (indentation, kind, the next code line, the end of the block it opens, the block around it),
 * so mapping 10,000 frames over 30,000 identical lines stays cheap.
 */
export class LineMapper {
  private readonly byText = new Map<string, number[]>();
  private readonly byTrimmed = new Map<string, number[]>();
  private readonly sources: string[];
  private readonly offset: number;
  private readonly indent: Int32Array;
  private readonly kind: Uint8Array;
  /** Program index of the next code line after i, or -1. */
  private readonly nextCodeAt: Int32Array;
  /** Program index of the last code line before i, or -1. */
  private readonly prevCodeAt: Int32Array;
  /** Code lines: the first code line after i indented no deeper than i, or -1. */
  private readonly afterAt: Int32Array;
  /** Code lines: the nearest code line before i indented less than i, or -1. */
  private readonly parentAt: Int32Array;
  private readonly successorCache = new Map<number, Set<number>>();

  constructor(program: Pick<Program, "program" | "lineOffset">) {
    const lines = program.program.split("\n");
    if (lines[lines.length - 1] === "") lines.pop();
    this.offset = program.lineOffset;
    const n = lines.length;
    this.sources = new Array<string>(n);
    this.indent = new Int32Array(n);
    this.kind = new Uint8Array(n);
    lines.forEach((text, i) => {
      // Program lines hold no newline, and only the entry's def line ends with the marker.
      const src = text.endsWith(START_MARKER) ? frameSource(text) : text;
      this.sources[i] = src;
      const fl = frameLine(program, i + 1);
      push(this.byText, src, fl);
      const trimmed = src.trim();
      if (trimmed !== src) push(this.byTrimmed, trimmed, fl);
      if (trimmed === "") return;
      const shape = lineShape(src);
      this.indent[i] = shape.indent;
      if (shape.code === "") return;
      let k = Kind.Code;
      if (shape.opensBlock && (shape.head === "def" || shape.head === "class")) k |= Kind.BlockHead;
      if (shape.opensBlock && COMPOUND_HEADS.has(shape.head)) k |= Kind.Compound;
      if (shape.head === "for" || shape.head === "while") k |= Kind.Loop;
      if (CLAUSES.has(shape.keyword)) k |= Kind.Clause;
      if (TRACED_CLAUSES.has(shape.keyword)) k |= Kind.TracedClause;
      this.kind[i] = k;
    });
    this.nextCodeAt = new Int32Array(n).fill(-1);
    this.prevCodeAt = new Int32Array(n).fill(-1);
    this.afterAt = new Int32Array(n).fill(-1);
    this.parentAt = new Int32Array(n).fill(-1);
    let next = -1;
    const after: number[] = [];
    for (let i = n - 1; i >= 0; i--) {
      this.nextCodeAt[i] = next;
      if (!this.isCodeAt(i)) continue;
      while (after.length && this.indent[after[after.length - 1]] > this.indent[i]) after.pop();
      this.afterAt[i] = after.length ? after[after.length - 1] : -1;
      after.push(i);
      next = i;
    }
    let prev = -1;
    const open: number[] = [];
    for (let i = 0; i < n; i++) {
      this.prevCodeAt[i] = prev;
      if (!this.isCodeAt(i)) continue;
      while (open.length && this.indent[open[open.length - 1]] >= this.indent[i]) open.pop();
      this.parentAt[i] = open.length ? open[open.length - 1] : -1;
      open.push(i);
      prev = i;
    }
  }

  private at(line: number): number {
    return line + this.offset - 1;
  }

  private lineOf(index: number): number {
    return index - this.offset + 1;
  }

  private isCodeAt(i: number): boolean {
    return (this.kind[i] & Kind.Code) !== 0;
  }

  private has(i: number, k: Kind): boolean {
    return i >= 0 && i < this.kind.length && (this.kind[i] & k) !== 0;
  }

  /** Text of a frame line (marker removed), or undefined outside the program. */
  text(line: number): string | undefined {
    return this.sources[this.at(line)];
  }

  /** The frame lines of the block a `def`/`class` line opens, or null when it opens none. */
  blockRange(line: number): [number, number] | null {
    const i = this.at(line);
    if (!this.has(i, Kind.BlockHead)) return null;
    const after = this.afterAt[i];
    const end = after >= 0 ? this.prevCodeAt[after] : this.lastCode();
    return [line, end > i ? this.lineOf(end) : line];
  }

  private lastCode(): number {
    const n = this.kind.length;
    if (n === 0) return -1;
    return this.isCodeAt(n - 1) ? n - 1 : this.prevCodeAt[n - 1];
  }

  /** The frame line of `source`, or null when the program has no such line. */
  map(source: string, hint: LineHint = {}): number | null {
    const src = frameSource(source);
    let cands = this.byText.get(src);
    if (!cands) {
      const trimmed = src.trim();
      cands = mergeSorted(this.byTrimmed.get(trimmed), this.byText.get(trimmed));
    }
    if (!cands || cands.length === 0) return null;
    if (cands.length === 1) return cands[0];
    // Candidates are ascending; the pool is the slice [lo, hi) of those inside the hinted block.
    let lo = 0;
    let hi = cands.length;
    const range = hint.range;
    if (range) {
      const a = lowerBound(cands, range[0]);
      const b = lowerBound(cands, range[1] + 1);
      if (b > a) {
        lo = a;
        hi = b;
      }
    }
    const last = hint.last;
    if (last == null) return cands[lo];
    const inPool = (c: number) => {
      const k = lowerBound(cands, c, lo, hi);
      return k < hi && cands[k] === c;
    };
    if (hint.stay && inPool(last)) return last;
    // Only some lines can follow the scope's last line (the next statement, a branch, the
    // statement after a block, a loop's head); among those, execution moves forward until a
    // loop jumps back, so the next occurrence after the last line is the likeliest.
    const reachable = [...this.successors(last)].filter(inPool).sort((x, y) => x - y);
    if (reachable.length > 0) return reachable.find((c) => c > last) ?? reachable[0];
    const k = lowerBound(cands, last + 1, lo, hi);
    return k < hi ? cands[k] : cands[lo];
  }

  /** Lines that may run right after `line` in the same scope, judged from indentation alone. */
  successors(line: number): Set<number> {
    const cached = this.successorCache.get(line);
    if (cached) return cached;
    const out = new Set<number>();
    const i = this.at(line);
    if (i < 0 || i >= this.kind.length) return out;
    const first = this.nextCodeAt[i];
    if (first >= 0) out.add(this.lineOf(first));
    // The line's own block (when it opens one) and every block around it can end here.
    const heads: number[] = [];
    if (this.has(i, Kind.Compound)) heads.push(i);
    if (this.indent[i] > 0) {
      let p = this.isCodeAt(i) ? this.parentAt[i] : this.enclosing(i);
      while (p >= 0) {
        if (this.has(p, Kind.Compound)) heads.push(p);
        if (this.indent[p] === 0) break;
        p = this.parentAt[p];
      }
    }
    for (const h of heads) {
      if (this.has(h, Kind.Loop)) out.add(this.lineOf(h));
      if (this.has(h, Kind.BlockHead) && h !== i) break;
      // Past the block: each following clause (traced itself, or its body's first line), then
      // the statement after the whole compound statement.
      let after = this.afterAt[h];
      for (let n = 0; after >= 0 && this.indent[after] === this.indent[h] && this.has(after, Kind.Clause) && n < MAX_CLAUSES; n++) {
        if (this.has(after, Kind.TracedClause)) out.add(this.lineOf(after));
        const body = this.nextCodeAt[after];
        if (body >= 0) out.add(this.lineOf(body));
        after = this.afterAt[after];
      }
      if (after >= 0) out.add(this.lineOf(after));
    }
    this.successorCache.set(line, out);
    return out;
  }

  /** For a line that is not code: the nearest code line before it indented less. */
  private enclosing(i: number): number {
    for (let p = this.prevCodeAt[i]; p >= 0; p = this.parentAt[p]) if (this.indent[p] < this.indent[i]) return p;
    return -1;
  }
}

/** First index in [lo, hi) of sorted `a` whose value is ≥ x. */
function lowerBound(a: readonly number[], x: number, lo = 0, hi = a.length): number {
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (a[mid] < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function mergeSorted(a: number[] | undefined, b: number[] | undefined): number[] | undefined {
  if (!a || !b) return a ?? b;
  const out: number[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) out.push(j >= b.length || (i < a.length && a[i] < b[j]) ? a[i++] : b[j++]);
  return out;
}

function push(m: Map<string, number[]>, k: string, v: number): void {
  const a = m.get(k);
  if (a) a.push(v);
  else m.set(k, [v]);
}
