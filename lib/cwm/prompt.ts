/**
 * The CWM prompt for a program. It holds source only: a prediction never depends on running
 * the code. The context comes from lib/cwm/program.ts so the executor numbers lines the same way.
 */
import { buildProgram, MAIN_DEF, type Program } from "@/lib/cwm/program";
import { TOK } from "@/lib/cwm/tokens";

/** main() takes no arguments, so its call frame is known without running anything. */
export const SEEDED_FRAME = `${TOK.CALL}{}${TOK.ACTION}${MAIN_DEF}\n${TOK.FRAME}`;

export interface Prompt {
  program: Program;
  /** The string prompt for vLLM, which adds BOS itself. */
  text: string;
  /** The same with BOS first: what the model reads, and what a raw-prompt view shows. */
  withBos: string;
}

export function buildPrompt(code: string, call?: string | null): Prompt {
  const program = buildProgram(code, call);
  const text = `${TOK.CONTEXT}${program.context}${TOK.FRAME}${SEEDED_FRAME}`;
  return { program, text, withBos: `${TOK.BOS}${text}` };
}
