/**
 * Frames reduced to what comparison needs, normalised once. A UI recomputes on every predicted
 * frame that streams in, so preparation reuses the entries of frames it has already seen
 * (same object at the same index) and only normalises the new ones.
 */
import type { Frame, FrameEvent } from "@/lib/trace/schema";
import { comprehensionMask } from "./comprehensions";
import { exceptionTypeOfValue, normaliseSource, normaliseValue } from "./normalise";

export interface PreparedFrame {
  event: FrameEvent;
  /** Interned act(F) = (event, normalised source): equal ids ⇔ equal actions. */
  act: number;
  /** Normalised locals (call/line frames with readable locals), else null. */
  locals: Readonly<Record<string, string>> | null;
  /** Number of locals (0 when null). */
  size: number;
  /** Return frames: the normalised value; exception frames: the exception's type name; else null. */
  value: string | null;
  /** False when the frame's state could not be read (a predicted frame with unreadable locals or value). */
  readable: boolean;
}

export interface PreparedTrace {
  frames: readonly Frame[];
  interner: ActInterner;
  prepared: PreparedFrame[];
  /** Indexes (into `frames`) of the frames that take part in the comparison, in order. */
  index: Int32Array;
}

/** Shared between the two sides so that act ids agree. */
export class ActInterner {
  // One map per event: no key string is built per frame.
  private readonly byEvent = new Map<FrameEvent, Map<string, number>>();
  private next = 0;
  id(event: FrameEvent, source: string): number {
    let m = this.byEvent.get(event);
    if (!m) {
      m = new Map();
      this.byEvent.set(event, m);
    }
    let id = m.get(source);
    if (id === undefined) {
      id = this.next++;
      m.set(source, id);
    }
    return id;
  }
}

function normaliseLocals(locals: Readonly<Record<string, string>>): { locals: Readonly<Record<string, string>>; size: number } {
  let size = 0;
  let copy: Record<string, string> | null = null;
  for (const k in locals) {
    size++;
    const v = locals[k];
    const n = normaliseValue(v);
    if (n !== v && copy === null) {
      // A null-prototype copy: a local named "__proto__" stays a plain key.
      copy = Object.create(null) as Record<string, string>;
      for (const j in locals) copy[j] = locals[j];
    }
    if (copy !== null) copy[k] = n;
  }
  // Most reprs hold no address: the frame's own object is used as is, nothing is copied.
  return { locals: copy ?? locals, size };
}

export function prepareFrame(f: Frame, interner: ActInterner): PreparedFrame {
  const act = interner.id(f.event, normaliseSource(f.source));
  if (f.event === "call" || f.event === "line") {
    if (!f.locals) return { event: f.event, act, locals: null, size: 0, value: null, readable: false };
    const { locals, size } = normaliseLocals(f.locals);
    return { event: f.event, act, locals, size, value: null, readable: true };
  }
  if (f.value === undefined) return { event: f.event, act, locals: null, size: 0, value: null, readable: false };
  const value = f.event === "exception" ? exceptionTypeOfValue(f.value) : normaliseValue(f.value);
  return { event: f.event, act, locals: null, size: 0, value, readable: true };
}

export interface PrepareOptions {
  ignoreComprehensions?: boolean;
}

export function prepareTrace(
  frames: readonly Frame[],
  interner: ActInterner,
  opts: PrepareOptions = {},
  previous?: PreparedTrace,
): PreparedTrace {
  const prepared: PreparedFrame[] = new Array(frames.length);
  let reuse = previous !== undefined && previous.interner === interner;
  for (let i = 0; i < frames.length; i++) {
    if (reuse && previous && i < previous.frames.length && previous.frames[i] === frames[i]) {
      prepared[i] = previous.prepared[i];
      continue;
    }
    reuse = false;
    prepared[i] = prepareFrame(frames[i], interner);
  }
  let index: Int32Array;
  if (opts.ignoreComprehensions) {
    const keep = comprehensionMask(frames);
    const out: number[] = [];
    for (let i = 0; i < frames.length; i++) if (keep[i]) out.push(i);
    index = Int32Array.from(out);
  } else {
    index = new Int32Array(frames.length);
    for (let i = 0; i < frames.length; i++) index[i] = i;
  }
  return { frames, interner, prepared, index };
}
