/**
 * "Will it halt?": the question asked of CWM in reasoning mode (chat format of the CWM
 * prompting guide) and a tolerant reader of its reply. No server imports: the browser reads
 * streamed replies with the same code.
 */
import { z } from "zod";
import { buildProgram, START_MARKER, type Program } from "@/lib/cwm/program";
import { TOK, type PromptSegment } from "@/lib/cwm/tokens";

/** The guide's reasoning-mode system prompt, word for word: the model was trained on exactly this. */
export const REASONING_SYSTEM_PROMPT =
  "You are a helpful AI assistant. You always reason before responding, using the following format:\n\n<think>\nyour internal reasoning\n</think>\nyour external response";

export const THINK_OPEN = "<think>\n";
export const THINK_CLOSE = "</think>";

export const HaltVerdict = z.enum(["halts", "does_not_halt", "unclear"]);
export type HaltVerdict = z.infer<typeof HaltVerdict>;

export interface HaltPrompt {
  program: Program;
  /** The user turn's text (what the model is asked). */
  question: string;
  /** BOS first; the code is inside text segments only, so it can never forge a header or end a turn. */
  segments: PromptSegment[];
  /** The same prompt as one string, BOS included: what a raw view shows. */
  withBos: string;
}

/**
 * The traced program as a person would read it: the START_OF_TRACE marker is a trace-prompt
 * convention, not Python the model should reason about.
 */
export function programForQuestion(p: Program): string {
  const def = `${p.entryDef ?? "def main():"}${START_MARKER}\n`;
  const at = p.mode === "script" ? (p.program.startsWith(def) ? 0 : -1) : p.program.lastIndexOf(def);
  if (at < 0) return p.program;
  return p.program.slice(0, at) + def.slice(0, -START_MARKER.length - 1) + "\n" + p.program.slice(at + def.length);
}

export function haltQuestion(p: Program): string {
  const entry = (p.entryDef ?? "def main():").slice(4, -1);
  return [
    `Does this Python program halt when \`${entry}\` is called?`,
    "",
    "```python",
    programForQuestion(p).replace(/\n$/, ""),
    "```",
    "",
    "It halts if the call returns or raises an exception after finitely many steps; it does not halt if it runs forever.",
    'Finish your response with a final line that is exactly "Answer: yes" if it halts or "Answer: no" if it does not.',
  ].join("\n");
}

export function buildHaltPrompt(code: string, call?: string | null): HaltPrompt {
  const program = buildProgram(code, call);
  const question = haltQuestion(program);
  const turn = (role: string, content: string): PromptSegment[] => [
    { special: TOK.START_HEADER },
    { text: role },
    { special: TOK.END_HEADER },
    { text: `\n\n${content}` },
    { special: TOK.EOT },
  ];
  const segments: PromptSegment[] = [
    { special: TOK.BOS },
    ...turn("system", REASONING_SYSTEM_PROMPT),
    ...turn("user", question),
    { special: TOK.START_HEADER },
    { text: "assistant" },
    { special: TOK.END_HEADER },
    { text: `\n\n${THINK_OPEN}` },
  ];
  const withBos = segments.map((s) => ("special" in s ? s.special : s.text)).join("");
  return { program, question, segments, withBos };
}

// ---------------------------------------------------------------------------------------------
// Reading the reply

/** The longest end of `s` that could be the start of `marker` (held back until the next chunk). */
function heldTail(s: string, marker: string): number {
  for (let n = Math.min(marker.length - 1, s.length); n > 0; n--) if (marker.startsWith(s.slice(-n))) return n;
  return 0;
}

export interface ReplyDelta {
  reasoning: string;
  answer: string;
}

/**
 * Splits a streamed reply into reasoning and answer as it arrives: text is released as soon as
 * it cannot be part of `</think>` (or of `<|eot_id|>`, which ends the answer when a server
 * writes it), so `</thi` + `nk>` in two chunks is never shown as reasoning.
 */
export class HaltReplyReader {
  reasoning = "";
  answer = "";
  /** `</think>` was seen. */
  closed = false;
  /** `<|eot_id|>` was seen: anything after it is ignored. */
  ended = false;
  private pending = "";

  push(chunk: string): ReplyDelta {
    const out: ReplyDelta = { reasoning: "", answer: "" };
    if (this.ended) return out;
    this.pending += chunk;
    for (;;) {
      const marker = this.closed ? TOK.EOT : THINK_CLOSE;
      const at = this.pending.indexOf(marker);
      if (at >= 0) {
        this.emit(out, this.pending.slice(0, at));
        this.pending = this.pending.slice(at + marker.length);
        if (this.closed) {
          this.ended = true;
          this.pending = "";
          return out;
        }
        this.closed = true;
        continue;
      }
      const keep = heldTail(this.pending, marker);
      this.emit(out, this.pending.slice(0, this.pending.length - keep));
      this.pending = this.pending.slice(this.pending.length - keep);
      return out;
    }
  }

  /** The end of the reply: text held back as a possible marker is released. */
  finish(): ReplyDelta {
    const out: ReplyDelta = { reasoning: "", answer: "" };
    if (!this.ended) this.emit(out, this.pending);
    this.pending = "";
    return out;
  }

  verdict(): HaltVerdict {
    return readVerdict(this.closed ? this.answer : null, this.reasoning);
  }

  private emit(out: ReplyDelta, text: string): void {
    if (!text) return;
    if (this.closed) {
      this.answer += text;
      out.answer += text;
    } else {
      this.reasoning += text;
      out.reasoning += text;
    }
  }
}

export interface ParsedHaltReply {
  reasoning: string;
  /** Null when the reply never closed its reasoning. */
  answer: string | null;
  verdict: HaltVerdict;
}

/** A whole reply at once (the same reader as the stream, so both agree). */
export function parseHaltReply(text: string): ParsedHaltReply {
  const r = new HaltReplyReader();
  r.push(text);
  r.finish();
  return { reasoning: r.reasoning, answer: r.closed ? r.answer : null, verdict: r.verdict() };
}

/** Markdown a model may wrap an answer in: fences, bold, inline code, quotes. */
function plain(s: string): string {
  return s
    .replace(/```[a-zA-Z]*/g, " ")
    .replace(/[*_`>#"“”]/g, " ")
    .toLowerCase();
}

const YES = /\b(yes|halts|terminates|will halt|does halt|it halts)\b/;
const NO = /\b(no|does not halt|doesn't halt|never halts|does not terminate|doesn't terminate|never terminates|runs forever|loops forever|infinite loop|will not halt|won't halt)\b/;

function yesNo(s: string): HaltVerdict {
  const t = plain(s);
  // Negations first: "does not halt" holds "halt" too.
  const no = NO.test(t);
  const yes = YES.test(t.replace(new RegExp(NO.source, "g"), " "));
  if (yes === no) return "unclear";
  return yes ? "halts" : "does_not_halt";
}

/** The text after the last "Answer:" of `s`, or null when there is none. */
function lastAnswerLine(s: string): string | null {
  const lines = plain(s)
    .split("\n")
    .map((l) => l.trim())
    .filter(Boolean);
  for (let i = lines.length - 1; i >= 0; i--) {
    const m = /\banswer\b\s*(?:is)?\s*[:：=-]?\s*(.*)$/.exec(lines[i]);
    if (m && m[1].trim() !== "") return m[1];
  }
  return null;
}

/**
 * Yes or no from the answer: its last "Answer: …" line when it has one, else the whole
 * answer's words; both or neither is "unclear". A reply that never closed its reasoning counts
 * only when its last line is an explicit "Answer: yes|no" (a cut reply is not guessed at).
 */
export function readVerdict(answer: string | null, reasoning = ""): HaltVerdict {
  if (answer === null) {
    const last = plain(reasoning).trim().split("\n").at(-1)?.trim() ?? "";
    const m = /^answer\s*[:：]\s*(yes|no)\b[\s.!]*$/.exec(last);
    return m ? (m[1] === "yes" ? "halts" : "does_not_halt") : "unclear";
  }
  const line = lastAnswerLine(answer);
  return yesNo(line ?? answer);
}
