/**
 * The request limits, in one place: the browser (draft, editor), the routes and the stored-run
 * schema read the same numbers, so what the editor accepts the server accepts too. No server
 * imports: browser code uses it.
 */

const KiB = 1024;
const MiB = 1024 * KiB;

export const LIMITS = {
  /** Program text, in UTF-8 bytes. */
  code: 64 * KiB,
  /** The call expression (`f([1, 2])`), in UTF-8 bytes. */
  call: 1 * KiB,
  /** A shared run's title, in characters. */
  titleChars: 200,
  /** Frames in one trace, the executor's own budget. */
  frames: 10_000,
  /** Request bodies per route, in bytes, counted on the wire (chunked or not). */
  body: {
    /** Code and call JSON-escaped in the worst case (`\u00XX`: 6 bytes per byte), plus small fields. */
    predict: 6 * (64 * KiB + 1 * KiB) + 16 * KiB,
    /** A run with two traces of up to 10,000 frames each. */
    runs: 8 * MiB,
    /** A debugger step: the code and the model's frames so far (up to 10,000, locals written as diffs). */
    step: 8 * MiB,
    /** A lesson: 50 slides of notes (8 KiB each, JSON-escaped: 6 bytes a byte at worst) and questions. */
    lessons: 3 * MiB,
  },
} as const;

const encoder = new TextEncoder();

export function utf8Bytes(s: string): number {
  return encoder.encode(s).length;
}

/** "64 KiB", "8 MiB", "1.5 MiB", "300 bytes": for messages people read. */
export function formatBytes(n: number): string {
  if (n >= MiB) return `${Number((n / MiB).toFixed(1))} MiB`;
  if (n >= KiB) return `${Number((n / KiB).toFixed(1))} KiB`;
  return `${n} bytes`;
}
