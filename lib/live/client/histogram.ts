/**
 * The class's answers as bars. The server groups by trimmed text only (it never parses
 * Python); the teacher's browser regroups after its sandbox has parsed the texts, so "[1,2]"
 * and "[1, 2]", or "4" and "line 4", are one bar, and marks the bar reality agrees with.
 */
import { answerKey, scoreAnswer, textsToNormalise, type Expected, type Normalised } from "@/lib/classroom/answers";
import type { Histogram } from "@/lib/live/protocol";
import type { Question } from "@/lib/storage/lesson-schema";

type AnswerCount = Histogram[number];

export interface Bar {
  key: string;
  count: number;
  /** The texts students typed that fell in this bar, most common first. */
  texts: string[];
  /** Whether reality agrees; null before the reveal or when there is nothing to score against. */
  correct: boolean | null;
}

export function regroup(histogram: readonly AnswerCount[], kind: Question["kind"], norm: Normalised, expected: Expected | null): Bar[] {
  const bars = new Map<string, { key: string; count: number; texts: AnswerCount[] }>();
  for (const h of histogram) {
    if (h.count <= 0) continue;
    const key = answerKey(h.answer, kind, norm);
    const bar = bars.get(key) ?? { key, count: 0, texts: [] };
    bar.count += h.count;
    bar.texts.push(h);
    bars.set(key, bar);
  }
  return [...bars.values()]
    .map((b) => {
      const texts = b.texts.sort((x, y) => y.count - x.count || x.answer.localeCompare(y.answer)).map((t) => t.answer);
      return { key: b.key, count: b.count, texts, correct: expected ? scoreAnswer(texts[0], expected, norm) : null };
    })
    .sort((a, b) => b.count - a.count || a.key.localeCompare(b.key));
}

/**
 * Every text the sandbox must parse to group and score these answers: values and returns are
 * literals (lines and yes/no are read without Python), and so are the expected reprs.
 */
export function textsOf(histogram: readonly AnswerCount[], kind: Question["kind"], expected: readonly Expected[]): string[] {
  const out = new Set<string>();
  const literal = kind === "value" || kind === "return";
  for (const h of histogram) {
    if (literal) out.add(h.answer.trim());
    for (const t of textsToNormalise(h.answer, ...expected)) out.add(t);
  }
  for (const e of expected) if (e.kind === "literal") out.add(e.repr.trim());
  out.delete("");
  return [...out];
}

/** How many answers reality agrees with (each student counted once). */
export function correctCount(histogram: readonly AnswerCount[], expected: Expected, norm: Normalised): number {
  return histogram.reduce((n, h) => n + (scoreAnswer(h.answer, expected, norm) === true ? h.count : 0), 0);
}
