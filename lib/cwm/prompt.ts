/**
 * The CWM prompt for a program. It holds source only: a prediction never depends on running
 * the code. The context comes from lib/cwm/program.ts so the executor numbers lines the same way.
 */
import { buildProgram, MAIN_DEF, type Program } from "@/lib/cwm/program";
import { TOK, type PromptSegment } from "@/lib/cwm/tokens";

/** main() takes no arguments, so its call frame is known without running anything. */
export const SEEDED_FRAME = `${TOK.CALL}{}${TOK.ACTION}${MAIN_DEF}\n${TOK.FRAME}`;

export interface Prompt {
  program: Program;
  /** The string prompt for vLLM, which adds BOS itself. */
  text: string;
  /** The same with BOS first: what the model reads, and what a raw-prompt view shows. */
  withBos: string;
  /**
   * The same, BOS first, as special tokens and plain text: the user's code is one text
   * segment, so a special token's text inside it is never read as that token.
   */
  segments: PromptSegment[];
}

export function buildPrompt(code: string, call?: string | null): Prompt {
  const program = buildProgram(code, call);
  const entryDef = program.entryDef ?? MAIN_DEF;
  const seeded = entryDef === MAIN_DEF ? SEEDED_FRAME : `${TOK.CALL}{}${TOK.ACTION}${entryDef}\n${TOK.FRAME}`;
  const text = `${TOK.CONTEXT}${program.context}${TOK.FRAME}${seeded}`;
  const segments: PromptSegment[] = [
    { special: TOK.BOS },
    { special: TOK.CONTEXT },
    { text: program.context },
    { special: TOK.FRAME },
    { special: TOK.CALL },
    { text: "{}" },
    { special: TOK.ACTION },
    { text: `${entryDef}\n` },
    { special: TOK.FRAME },
  ];
  return { program, text, withBos: `${TOK.BOS}${text}`, segments };
}
