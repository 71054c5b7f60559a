/**
 * The few-shot programs of the chat prompt. Their answers are never written by hand: they are
 * our tracer's traces (scripts/chat-examples.ts writes chat-examples.json; a golden test
 * regenerates it), so the examples teach exactly what the comparison will hold a model to.
 */
import type { ChatExamples } from "@/lib/predictors/chat-prompt";
import { answerOf } from "@/lib/predictors/chat-prompt";
import type { CanonicalTrace } from "@/lib/trace/schema";

/** A loop with a branch; a helper called in a loop with strings; an exception crossing a call; script mode. */
export const CHAT_EXAMPLE_PROGRAMS: ReadonlyArray<{ code: string; call: string | null }> = [
  {
    code: "def f(nums):\n    total = 0\n    for n in nums:\n        if n % 2 == 0:\n            total += n\n    return total",
    call: "f([1, 2, 4])",
  },
  {
    code: 'def shout(word):\n    return word.upper() + "!"\n\ndef f(text):\n    out = []\n    for w in text.split():\n        out.append(shout(w))\n    return " ".join(out)',
    call: 'f("hi you")',
  },
  {
    code: "def ratio(a, b):\n    return a / b\n\ndef f(xs):\n    first = xs[0]\n    return ratio(first, len(xs) - 1)",
    call: "f([5])",
  },
  {
    code: 'd = {"a": 1}\nd["b"] = d["a"] + 1\nprint(sorted(d))',
    call: null,
  },
];

export type TraceFn = (input: { code: string; call: string | null }) => Promise<CanonicalTrace>;

/** The examples as traced by `trace` (the playground's tracer), with the executor that made them. */
export async function buildChatExamples(trace: TraceFn, executor: string): Promise<ChatExamples> {
  const examples = [];
  for (const p of CHAT_EXAMPLE_PROGRAMS) {
    const t = await trace(p);
    if (t.status !== "returned" && t.status !== "raised") throw new Error(`chat example ${JSON.stringify(p.call ?? p.code)} ended with ${t.status}`);
    examples.push({ code: p.code, call: p.call, answer: answerOf(t.frames) });
  }
  return { executor, examples };
}
