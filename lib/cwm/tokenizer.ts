/**
 * tiktoken-style byte-level BPE as in a CWM checkpoint's `tokenizer.model` (one
 * `base64-token rank` per line). Special ids follow the ranks: id = number of ranks + offset.
 * Needed for Fastgen, which only reads trace prompts as token ids.
 */
import fs from "node:fs/promises";
import { NUM_SPECIAL, SPECIAL_OFFSETS, type PromptSegment } from "@/lib/cwm/tokens";

/**
 * The Llama 3 split pattern. Node 20 has no inline `(?i:…)` groups, so the contractions are
 * spelled out case-insensitively.
 */
const SPLIT =
  /'(?:[sS]|[tT]|[rR][eE]|[vV][eE]|[mM]|[lL][lL]|[dD])|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+/gu;

export class Tokenizer {
  /** Token bytes (as a latin1 string, one char per byte) → rank. */
  private readonly ranks: Map<string, number>;
  private readonly byId: string[];
  readonly specialIds: Map<string, number>;
  private readonly specialById: Map<number, string>;
  private readonly specialRe: RegExp;

  constructor(ranks: Map<string, number>) {
    this.ranks = ranks;
    const n = ranks.size;
    this.byId = new Array<string>(n);
    for (const [bytes, r] of ranks) {
      if (r < 0 || r >= n) throw new Error(`tokenizer: rank ${r} outside 0..${n - 1}`);
      this.byId[r] = bytes;
    }
    this.specialIds = new Map();
    this.specialById = new Map();
    for (let i = 0; i < NUM_SPECIAL; i++) this.specialById.set(n + i, `<|reserved_special_token_${i}|>`);
    for (const [text, off] of Object.entries(SPECIAL_OFFSETS)) {
      this.specialIds.set(text, n + off);
      this.specialById.set(n + off, text);
    }
    const alts = [...this.specialIds.keys()].map((t) => t.replace(/[|]/g, "\\|"));
    this.specialRe = new RegExp(alts.join("|"), "g");
  }

  get numRanks(): number {
    return this.ranks.size;
  }

  /**
   * Encodes text as plain text: a special token's text in it (`<|frame_sep|>` in a user's
   * string literal) stays ordinary bytes and never becomes that token's id.
   */
  encode(text: string): number[] {
    const out: number[] = [];
    this.encodeOrdinary(text, out);
    return out;
  }

  /**
   * Encodes text whose special token texts are meant as tokens (a model's own output, test
   * fixtures). Never for text a user wrote: use encode() or encodeSegments().
   */
  encodeWithSpecial(text: string): number[] {
    const out: number[] = [];
    let at = 0;
    for (const m of text.matchAll(this.specialRe)) {
      this.encodeOrdinary(text.slice(at, m.index), out);
      out.push(this.specialIds.get(m[0])!);
      at = m.index + m[0].length;
    }
    this.encodeOrdinary(text.slice(at), out);
    return out;
  }

  /** A prompt built of special tokens and plain text, each piece encoded as what it is. */
  encodeSegments(segments: readonly PromptSegment[]): number[] {
    const out: number[] = [];
    for (const seg of segments) {
      if ("special" in seg) {
        const id = this.specialIds.get(seg.special);
        if (id === undefined) throw new Error(`tokenizer: ${seg.special} is not a special token`);
        out.push(id);
      } else this.encodeOrdinary(seg.text, out);
    }
    return out;
  }

  decode(ids: readonly number[]): string {
    let text = "";
    let bytes: number[] = [];
    const flush = () => {
      if (bytes.length) text += Buffer.from(bytes).toString("utf8");
      bytes = [];
    };
    for (const id of ids) {
      const special = this.specialById.get(id);
      if (special !== undefined) {
        flush();
        text += special;
        continue;
      }
      const b = this.byId[id];
      if (b === undefined) throw new Error(`tokenizer: unknown token id ${id}`);
      for (let i = 0; i < b.length; i++) bytes.push(b.charCodeAt(i));
    }
    flush();
    return text;
  }

  private encodeOrdinary(text: string, out: number[]): void {
    if (!text) return;
    for (const m of text.matchAll(SPLIT)) {
      const piece = Buffer.from(m[0], "utf8").toString("latin1");
      const whole = this.ranks.get(piece);
      if (whole !== undefined) out.push(whole);
      else this.bytePairMerge(piece, out);
    }
  }

  /**
   * tiktoken's merge: repeatedly join the adjacent pair of lowest rank (the leftmost among
   * equals). A heap of candidate pairs makes it O(n log n): the naive rescan is O(n²), and a
   * pre-token can be 64 KiB of one character.
   */
  private bytePairMerge(piece: string, out: number[]): void {
    const n = piece.length;
    const end = new Int32Array(n);
    const next = new Int32Array(n);
    const prev = new Int32Array(n);
    const version = new Int32Array(n);
    for (let i = 0; i < n; i++) {
      end[i] = i + 1;
      next[i] = i + 1 < n ? i + 1 : -1;
      prev[i] = i - 1;
    }
    const heap = new PairHeap();
    // A part starts at its own index (parts only grow to the right), so `left` is its position.
    const offer = (left: number, right: number) => {
      const r = this.ranks.get(piece.slice(left, end[right]));
      if (r !== undefined) heap.push(r, left, right, version[left], version[right]);
    };
    for (let i = 0; i + 1 < n; i++) offer(i, i + 1);
    for (let e = heap.pop(); e; e = heap.pop()) {
      const { left, right } = e;
      if (next[left] !== right || version[left] !== e.vLeft || version[right] !== e.vRight) continue;
      end[left] = end[right];
      next[left] = next[right];
      if (next[right] >= 0) prev[next[right]] = left;
      version[left]++;
      version[right] = -1;
      if (prev[left] >= 0) offer(prev[left], left);
      if (next[left] >= 0) offer(left, next[left]);
    }
    for (let i = 0; i >= 0; i = next[i]) {
      const p = piece.slice(i, end[i]);
      const r = this.ranks.get(p);
      if (r === undefined) throw new Error(`tokenizer: no rank for byte sequence ${JSON.stringify(p)} (is every single byte in the file?)`);
      out.push(r);
    }
  }
}

interface PairEntry {
  rank: number;
  left: number;
  right: number;
  vLeft: number;
  vRight: number;
}

/** Min-heap of merge candidates by (rank, position). */
class PairHeap {
  private readonly items: PairEntry[] = [];

  push(rank: number, left: number, right: number, vLeft: number, vRight: number): void {
    const a = this.items;
    a.push({ rank, left, right, vLeft, vRight });
    let i = a.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!less(a[i], a[p])) break;
      [a[i], a[p]] = [a[p], a[i]];
      i = p;
    }
  }

  pop(): PairEntry | undefined {
    const a = this.items;
    if (a.length === 0) return undefined;
    const top = a[0];
    const last = a.pop()!;
    if (a.length > 0) {
      a[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < a.length && less(a[l], a[m])) m = l;
        if (r < a.length && less(a[r], a[m])) m = r;
        if (m === i) break;
        [a[i], a[m]] = [a[m], a[i]];
        i = m;
      }
    }
    return top;
  }
}

function less(x: PairEntry, y: PairEntry): boolean {
  return x.rank < y.rank || (x.rank === y.rank && x.left < y.left);
}

/** Parses the text of a tokenizer.model file. */
export function parseTokenizerModel(text: string): Tokenizer {
  const ranks = new Map<string, number>();
  let lineNo = 0;
  for (const line of text.split("\n")) {
    lineNo++;
    if (line.trim() === "") continue;
    const [b64, rank, extra] = line.trim().split(/\s+/);
    const r = Number(rank);
    if (!b64 || !Number.isInteger(r) || extra !== undefined) throw new Error(`tokenizer.model line ${lineNo}: expected "base64 rank"`);
    ranks.set(Buffer.from(b64, "base64").toString("latin1"), r);
  }
  if (ranks.size === 0) throw new Error("tokenizer.model: no ranks");
  return new Tokenizer(ranks);
}

const cache = new Map<string, Promise<Tokenizer>>();

/** Loads (once per path) a tokenizer.model file. */
export function loadTokenizer(path: string): Promise<Tokenizer> {
  let t = cache.get(path);
  if (!t) {
    t = fs.readFile(path, "utf8").then(parseTokenizerModel);
    t.catch(() => cache.delete(path));
    cache.set(path, t);
  }
  return t;
}
