/**
 * What a raw completion ended with, read the same way for every server: vLLM may or may not
 * write a stop token's text and may or may not say which token stopped it (`stop_reason`);
 * Fastgen returns the stop token among its tokens.
 */
import { SPECIAL_OFFSETS, BOS_ID } from "@/lib/cwm/tokens";
import type { CompleteResult } from "@/lib/predictors/types";

const TEXT_OF_ID = new Map<number, string>(Object.entries(SPECIAL_OFFSETS).map(([text, off]) => [BOS_ID + off, text]));

/** The special token text of an id (`<|frame_sep|>` for 128100), or undefined. */
export function specialTextOf(id: number): string | undefined {
  return TEXT_OF_ID.get(id);
}

export function completionResult(
  text: string,
  finish: "stop" | "length",
  stop: readonly number[],
  reported: number | null,
  tokens?: CompleteResult["tokens"],
): CompleteResult {
  // A server that writes the stop token's text: cut there (and at anything after it).
  let cutAt = -1;
  let cutBy: number | null = null;
  for (const id of stop) {
    const t = specialTextOf(id);
    const at = t ? text.indexOf(t) : -1;
    if (at >= 0 && (cutAt < 0 || at < cutAt)) {
      cutAt = at;
      cutBy = id;
    }
  }
  if (cutAt >= 0) return { text: text.slice(0, cutAt), finish: "stop", stoppedBy: cutBy, ...(tokens ? { tokens } : {}) };
  const stoppedBy = finish === "stop" && reported !== null && stop.includes(reported) ? reported : null;
  return { text, finish, stoppedBy, ...(tokens ? { tokens } : {}) };
}
