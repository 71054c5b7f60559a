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

export class LineMapper {
  private readonly byText = new Map<string, number[]>();
  private readonly byTrimmed = new Map<string, number[]>();
  private readonly lines: string[];
  private readonly offset: number;

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
    // Execution moves forward until a loop jumps back, so the next occurrence after the scope's
    // last line is the likeliest; otherwise the loop went back to the first one.
    return pool.find((c) => c > last) ?? pool[0];
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
