/**
 * tiktoken-style byte-level BPE as in a CWM checkpoint's `tokenizer.model` (one
 * `base64-token rank` per line). Special ids follow the ranks: id = number of ranks + offset.
 * Needed for Fastgen, which only reads trace prompts as token ids.
 */
import fs from "node:fs/promises";
import { NUM_SPECIAL, SPECIAL_OFFSETS } from "@/lib/cwm/tokens";

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

  /** Encodes text; the special token texts in it become their ids. */
  encode(text: string): number[] {
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

  /** tiktoken's merge: repeatedly join the adjacent pair of lowest rank. */
  private bytePairMerge(piece: string, out: number[]): void {
    const parts: string[] = [];
    for (let i = 0; i < piece.length; i++) parts.push(piece[i]);
    for (;;) {
      let best = -1;
      let bestRank = Infinity;
      for (let i = 0; i < parts.length - 1; i++) {
        const r = this.ranks.get(parts[i] + parts[i + 1]);
        if (r !== undefined && r < bestRank) {
          bestRank = r;
          best = i;
        }
      }
      if (best < 0) break;
      parts.splice(best, 2, parts[best] + parts[best + 1]);
    }
    for (const p of parts) {
      const r = this.ranks.get(p);
      if (r === undefined) throw new Error(`tokenizer: no rank for byte sequence ${JSON.stringify(p)} (is every single byte in the file?)`);
      out.push(r);
    }
  }
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
