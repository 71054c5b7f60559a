/**
 * Maps a predicted source line (text) back to a frame line number. The model writes line text,
 * not numbers; identical lines are told apart by the scope the frame is in and where that scope
 * was last.
 */
import { frameLine, frameSource, type Program } from "@/lib/cwm/program";

export interface LineHint {
  /** Frame lines [lo, hi] of the block the frame is expected in (a function body). */
  range?: readonly [number, number] | null;
  /** The scope's previous frame line. */
  last?: number | null;
  /** The frame is on the scope's current line (a return, an exception, a lambda's call). */
  stay?: boolean;
}

const BLOCK_HEAD = /^\s*(?:async\s+def|def|class)\b.*:\s*(?:#.*)?$/;
const COMPOUND = /^\s*(?:async\s+)?(?:if|elif|else|for|while|try|except|finally|with|def|class|match|case)\b.*:\s*(?:#.*)?$/;
const LOOP = /^\s*(?:async\s+)?(?:for|while)\b/;
const CLAUSE = /^\s*(?:elif|else|except|finally)\b/;
/** Clauses whose own line is traced (a condition or an exception match is evaluated there). */
const TRACED_CLAUSE = /^\s*(?:elif|except)\b/;

export class LineMapper {
  private readonly byText = new Map<string, number[]>();
  private readonly byTrimmed = new Map<string, number[]>();
  private readonly lines: string[];
  private readonly offset: number;
  private readonly successorCache = new Map<number, Set<number>>();

  constructor(program: Pick<Program, "program" | "lineOffset">) {
    this.lines = program.program.split("\n");
    if (this.lines[this.lines.length - 1] === "") this.lines.pop();
    this.offset = program.lineOffset;
    this.lines.forEach((text, i) => {
      const fl = frameLine(program, i + 1);
      const src = frameSource(text);
      push(this.byText, src, fl);
      push(this.byTrimmed, src.trim(), fl);
    });
  }

  /** Text of a frame line (marker removed), or undefined outside the program. */
  text(line: number): string | undefined {
    const t = this.lines[line + this.offset - 1];
    return t === undefined ? undefined : frameSource(t);
  }

  /** The frame lines of the block a `def`/`class` line opens, or null when it opens none. */
  blockRange(line: number): [number, number] | null {
    const head = this.text(line);
    if (head === undefined || !BLOCK_HEAD.test(head)) return null;
    const indent = indentOf(head);
    let end = line;
    for (let l = line + 1; ; l++) {
      const t = this.text(l);
      if (t === undefined) break;
      if (t.trim() === "" || t.trimStart().startsWith("#")) continue;
      if (indentOf(t) <= indent) break;
      end = l;
    }
    return [line, end];
  }

  /** The frame line of `source`, or null when the program has no such line. */
  map(source: string, hint: LineHint = {}): number | null {
    const src = frameSource(source);
    let cands = this.byText.get(src);
    if (!cands) cands = this.byTrimmed.get(src.trim());
    if (!cands || cands.length === 0) return null;
    if (cands.length === 1) return cands[0];
    const range = hint.range;
    const inRange = range ? cands.filter((c) => c >= range[0] && c <= range[1]) : [];
    const pool = inRange.length > 0 ? inRange : cands;
    const last = hint.last;
    if (last == null) return pool[0];
    if (hint.stay && pool.includes(last)) return last;
    // Only some lines can follow the scope's last line (the next statement, a branch, the
    // statement after a block, a loop's head); among those, execution moves forward until a
    // loop jumps back, so the next occurrence after the last line is the likeliest.
    const next = this.successors(last);
    const reachable = pool.filter((c) => next.has(c));
    const choice = reachable.length > 0 ? reachable : pool;
    return choice.find((c) => c > last) ?? choice[0];
  }

  private isCode(line: number): boolean {
    const t = this.text(line);
    return t !== undefined && t.trim() !== "" && !t.trimStart().startsWith("#");
  }

  private nextCode(line: number): number | null {
    for (let l = line + 1; this.text(l) !== undefined; l++) if (this.isCode(l)) return l;
    return null;
  }

  /** The first code line after the block a compound statement's line opens. */
  private afterBlock(head: number): number | null {
    const indent = indentOf(this.text(head)!);
    for (let l = head + 1; this.text(l) !== undefined; l++) {
      if (this.isCode(l) && indentOf(this.text(l)!) <= indent) return l;
    }
    return null;
  }

  /** Lines that may run right after `line` in the same scope, judged from indentation alone. */
  successors(line: number): Set<number> {
    const cached = this.successorCache.get(line);
    if (cached) return cached;
    const out = new Set<number>();
    const first = this.nextCode(line);
    if (first !== null) out.add(first);
    // The line's own block (when it opens one) and every block around it can end here.
    const heads: number[] = [];
    const own = this.text(line);
    if (own !== undefined && COMPOUND.test(own)) heads.push(line);
    let indent = own === undefined ? 0 : indentOf(own);
    for (let l = line - 1; l >= 1 - this.offset && indent > 0; l--) {
      const t = this.text(l);
      if (t === undefined || !this.isCode(l) || indentOf(t) >= indent) continue;
      indent = indentOf(t);
      if (COMPOUND.test(t)) heads.push(l);
    }
    for (const h of heads) {
      const head = this.text(h)!;
      if (LOOP.test(head)) out.add(h);
      if (BLOCK_HEAD.test(head) && h !== line) break;
      // Past the block: each following clause (traced itself, or its body's first line), then
      // the statement after the whole compound statement.
      let after = this.afterBlock(h);
      while (after !== null && indentOf(this.text(after)!) === indentOf(head) && CLAUSE.test(this.text(after)!)) {
        if (TRACED_CLAUSE.test(this.text(after)!)) out.add(after);
        const body = this.nextCode(after);
        if (body !== null) out.add(body);
        after = this.afterBlock(after);
      }
      if (after !== null) out.add(after);
    }
    this.successorCache.set(line, out);
    return out;
  }
}

function push(m: Map<string, number[]>, k: string, v: number): void {
  const a = m.get(k);
  if (a) a.push(v);
  else m.set(k, [v]);
}

function indentOf(s: string): number {
  return s.length - s.trimStart().length;
}
