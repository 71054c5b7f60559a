/**
 * What the fake CWM servers answer to a "Will it halt?" chat prompt: a scripted chain of
 * thought, `</think>`, an answer and `<|eot_id|>`, as CWM writes a reasoning-mode reply. The
 * verdict is a crude rule, not an analysis: "no" for the gallery's never-halting example and
 * for a `while True` loop with no `break` or `return` in the user's code, "yes" otherwise.
 */
import { normaliseCode } from "@/lib/cwm/program";
import { THINK_CLOSE } from "@/lib/cwm/chat";
import { TOK } from "@/lib/cwm/tokens";
import { exampleById } from "@/lib/playground/examples";

const NEVER_HALTS = normaliseCode(exampleById("collatz-forever")!.code);

/** The program inside a halting question, or null for another prompt. */
export function haltQuestionCode(prompt: string): string | null {
  if (!prompt.includes(TOK.START_HEADER) || !/Does this Python program halt/.test(prompt)) return null;
  const open = prompt.indexOf("```python\n");
  if (open < 0) return null;
  const from = open + "```python\n".length;
  const close = prompt.indexOf("\n```", from);
  return close < 0 ? null : prompt.slice(from, close);
}

/** The user's part of the program: the call-mode wrapper (`def main():` / `return CALL`) left out. */
function userPart(program: string): { code: string; call: string | null } {
  const lines = program.split("\n");
  const n = lines.length;
  if (n >= 2 && /^def main_*\(\):$/.test(lines[n - 2]) && lines[n - 1].startsWith("    return ")) {
    return { code: lines.slice(0, n - 2).join("\n"), call: lines[n - 1].slice("    return ".length) };
  }
  return { code: program, call: null };
}

export function haltsByRule(program: string): boolean {
  const { code } = userPart(program);
  if (normaliseCode(code).includes(NEVER_HALTS)) return false;
  return !(/\bwhile\s+True\s*:/.test(code) && !/\b(break|return)\b/.test(code));
}

export function chatGenerationFor(prompt: string): string {
  const program = haltQuestionCode(prompt);
  if (program === null) return `The message does not ask about a program.\n${THINK_CLOSE}\nI can only answer questions about a Python program.${TOK.EOT}`;
  const { call } = userPart(program);
  const entry = call ? `The program calls \`${call}\` from main.` : "The program runs its statements inside main.";
  const reasoning = haltsByRule(program)
    ? `${entry} I follow each loop and look at what changes from one iteration to the next. Every loop moves toward its exit condition, and every call it makes returns. Nothing can keep it going forever, so the call finishes after finitely many steps.`
    : `${entry} I follow the loop and look for a way out of it. Nothing inside the loop breaks out of it or returns, and its condition never becomes false: each iteration leaves the variables in a state from which the loop runs again. So the loop runs forever and main never returns.`;
  const answer = haltsByRule(program) ? "The program halts.\n\nAnswer: yes" : "The program does not halt.\n\nAnswer: no";
  return `${reasoning}\n${THINK_CLOSE}\n${answer}${TOK.EOT}`;
}
