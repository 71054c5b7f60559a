/**
 * The flight recorder of the Node executor: shared memory the worker thread writes every frame
 * and stdout chunk into as tracer.py makes them (through a Pyodide device file, one write per
 * frame), and the host reads only when it had to terminate the thread (a loop inside C code).
 * Shared memory survives terminate(); messages not yet posted would not. Layout: an Int32 header
 * [bytes written, overflow flag], then UTF-8 lines, each one JSON value: an object is a frame,
 * a string is stdout.
 */
const HEADER_BYTES = 8;
const INITIAL_BYTES = 1 << 20;
/** Frames past this (a 10,000-frame run of 1,000-character values fits) are not recorded. */
const MAX_BYTES = 256 << 20;

/** ES2024 growable shared memory (Node >= 20), not yet in this project's TypeScript lib. */
interface GrowableSab extends SharedArrayBuffer {
  grow(byteLength: number): void;
}
const GrowableSab = SharedArrayBuffer as unknown as new (byteLength: number, opts: { maxByteLength: number }) => GrowableSab;

export function createRecorder(): SharedArrayBuffer {
  return new GrowableSab(HEADER_BYTES + INITIAL_BYTES, { maxByteLength: HEADER_BYTES + MAX_BYTES });
}

export interface RecorderWriter {
  /** Empties the recorder before a run. */
  reset(): void;
  /** Appends bytes; returns `length` even when they no longer fit (the overflow flag says so). */
  write(bytes: Uint8Array, offset: number, length: number): number;
}

export function recorderWriter(shared: SharedArrayBuffer): RecorderWriter {
  const sab = shared as GrowableSab;
  const header = new Int32Array(sab, 0, 2);
  let data = new Uint8Array(sab, HEADER_BYTES);
  let used = 0;
  return {
    reset() {
      used = 0;
      Atomics.store(header, 1, 0);
      Atomics.store(header, 0, 0);
    },
    write(bytes, offset, length) {
      if (used + length > data.length) {
        const want = Math.min(HEADER_BYTES + MAX_BYTES, Math.max(sab.byteLength * 2, HEADER_BYTES + used + length));
        if (want > sab.byteLength) {
          sab.grow(want);
          data = new Uint8Array(sab, HEADER_BYTES);
        }
        if (used + length > data.length) {
          Atomics.store(header, 1, 1);
          return length;
        }
      }
      data.set(bytes.subarray(offset, offset + length), used);
      used += length;
      // Published after the bytes: a reader never sees a line that is not complete.
      Atomics.store(header, 0, used);
      return length;
    },
  };
}

export interface Recorded {
  /** Parsed but not yet validated frames. */
  frames: unknown[];
  stdout: string;
  /** Some frames did not fit. */
  overflow: boolean;
}

export function readRecorder(sab: SharedArrayBuffer): Recorded {
  const header = new Int32Array(sab, 0, 2);
  const used = Atomics.load(header, 0);
  const overflow = Atomics.load(header, 1) === 1;
  // TextDecoder refuses views of shared memory: copy first.
  const copy = new Uint8Array(used);
  copy.set(new Uint8Array(sab, HEADER_BYTES, used));
  const frames: unknown[] = [];
  let stdout = "";
  for (const line of new TextDecoder().decode(copy).split("\n")) {
    if (line === "") continue;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      continue; // cannot happen for complete lines; a torn line is dropped rather than trusted
    }
    if (typeof value === "string") stdout += value;
    else frames.push(value);
  }
  return { frames, stdout, overflow };
}
