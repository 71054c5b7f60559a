/**
 * Join codes as people type them (docs: live-contract, classroom.md "The code"): six
 * characters from an alphabet without look-alikes. Input is forgiving about case, spaces and
 * dashes (a code read aloud or copied from a slide), and strict about characters that can
 * never be in a code, which it names so a student knows what they misread.
 */
import { CODE_ALPHABET, CODE_LENGTH } from "@/lib/live/protocol";

/** What a student probably meant by a character that is never in a code. */
const LOOK_ALIKES: Record<string, string> = {
  "0": "0 (zero) and O are never in a code",
  O: "O and 0 (zero) are never in a code",
  "1": "1 (one), I and L are never in a code",
  I: "I, 1 (one) and L are never in a code",
  L: "L, 1 (one) and I are never in a code",
};

export type CodeCheck = { kind: "ok"; code: string } | { kind: "short"; code: string; missing: number } | { kind: "bad"; code: string; message: string };

/** Upper case, without the spaces and dashes people add when reading a code aloud. */
export function cleanCode(input: string): string {
  return input.toUpperCase().replace(/[\s-]+/g, "");
}

export function checkCode(input: string): CodeCheck {
  const code = cleanCode(input);
  for (const ch of code) {
    if (CODE_ALPHABET.includes(ch)) continue;
    const hint = LOOK_ALIKES[ch];
    return {
      kind: "bad",
      code,
      message: hint ? `${hint}: check the code on the screen.` : `“${ch}” is never in a code: codes use the digits 2–9 and the letters A–Z without I, L and O.`,
    };
  }
  if (code.length > CODE_LENGTH) return { kind: "bad", code, message: `A code has ${CODE_LENGTH} characters; this has ${code.length}.` };
  if (code.length < CODE_LENGTH) return { kind: "short", code, missing: CODE_LENGTH - code.length };
  return { kind: "ok", code };
}
