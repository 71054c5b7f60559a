/** CWM's special tokens (see /work/shared/spec/cwm-trace-format.md §1). */

export const TOK = {
  BOS: "<|begin_of_text|>",
  EOS: "<|end_of_text|>",
  FRAME: "<|frame_sep|>",
  ACTION: "<|action_sep|>",
  RETURN: "<|return_sep|>",
  CALL: "<|call_sep|>",
  LINE: "<|line_sep|>",
  EXCEPTION: "<|exception_sep|>",
  ARG: "<|arg_sep|>",
  CONTEXT: "<|trace_context_start|>",
  /** Chat format (PROMPTING_GUIDE.md of the CWM release): used by "Will it halt?". */
  START_HEADER: "<|start_header_id|>",
  END_HEADER: "<|end_header_id|>",
  EOT: "<|eot_id|>",
} as const;

/** A CWM prompt as the model reads it: special tokens, and text that must stay text. */
export type PromptSegment = { special: string } | { text: string };

/** Offsets of the special tokens after the last BPE rank (128000 in the real vocabulary). */
export const SPECIAL_OFFSETS: Record<string, number> = {
  [TOK.BOS]: 0,
  [TOK.EOS]: 1,
  [TOK.FRAME]: 100,
  [TOK.ACTION]: 101,
  [TOK.RETURN]: 102,
  [TOK.CALL]: 103,
  [TOK.LINE]: 104,
  [TOK.EXCEPTION]: 105,
  [TOK.ARG]: 106,
  [TOK.CONTEXT]: 107,
  [TOK.START_HEADER]: 6,
  [TOK.END_HEADER]: 7,
  [TOK.EOT]: 8,
};

/** Llama 3 reserves 256 special ids after the BPE ranks. */
export const NUM_SPECIAL = 256;

export const BOS_ID = 128000;
export const EOS_ID = 128001;
export const FRAME_SEP_ID = 128100;
/** End of a chat message: the stop token of a chat reply (128008 in CWM's guide, not Llama 3's 128009). */
export const EOT_ID = 128008;

/**
 * The first text in `s` shaped like a special token (`<|name|>`), or null. vLLM reads any of
 * its tokenizer's special token texts in a string prompt as the token itself, and the list
 * differs between checkpoints (named, reserved_special_token_N, chat tokens), so every such
 * shape counts. One pass, no regular expression.
 */
export function findSpecialTokenText(s: string): string | null {
  for (let at = s.indexOf("<|"); at >= 0; at = s.indexOf("<|", at + 1)) {
    let i = at + 2;
    while (i < s.length && isNameChar(s.charCodeAt(i))) i++;
    if (i > at + 2 && s.startsWith("|>", i)) return s.slice(at, i + 2);
  }
  return null;
}

function isNameChar(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95 || c === 45 || c === 46;
}
