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
} as const;

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
};

/** Llama 3 reserves 256 special ids after the BPE ranks. */
export const NUM_SPECIAL = 256;

export const BOS_ID = 128000;
export const EOS_ID = 128001;
export const FRAME_SEP_ID = 128100;
