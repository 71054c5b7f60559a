"use client";
import { useMemo } from "react";
import { questionPrompt } from "@/lib/classroom/answers";
import type { Beat } from "@/lib/classroom/deck";
import type { StoredLesson } from "@/lib/storage/lesson-schema";

const keyOf = (b: Beat): string => {
  switch (b.kind) {
    case "title":
      return "t";
    case "code":
    case "result":
      return `c${b.slide}`;
    case "question":
      return `q${b.slide}.${b.question}`;
  }
};

const clip = (s: string, n: number) => (s.length > n ? `${s.slice(0, n - 1)}…` : s);

/**
 * Jump to any slide or question (it opens at the line about to run, answers hidden). Lists the
 * questions only once the lesson has loaded; slides by number before that.
 */
export function GoToMenu({ beat, shape, lesson, onGo }: { beat: Beat; shape: readonly number[]; lesson: StoredLesson | undefined; onGo: (b: Beat) => void }) {
  const options = useMemo(() => {
    // Each option carries its beat: the menu's value only has to name it, never be parsed back.
    const out: { beat: Beat; text: string }[] = [{ beat: { kind: "title" }, text: "Title slide" }];
    shape.forEach((n, i) => {
      const slide = lesson?.slides[i];
      out.push({ beat: { kind: "code", slide: i }, text: `Slide ${i + 1}${slide?.run.call ? `: ${clip(slide.run.call, 40)}` : ""}` });
      for (let j = 0; j < n; j++) {
        const q = slide?.questions[j];
        out.push({
          beat: { kind: "question", slide: i, question: j, stage: "line" },
          text: `${i + 1}.${j + 1} ${q && slide ? clip(questionPrompt(q, slide.run).text.replace(/`/g, ""), 60) : `question ${j + 1}`}`,
        });
      }
    });
    return out.map((o) => ({ ...o, key: keyOf(o.beat) }));
  }, [shape, lesson]);
  return (
    <label className="flex items-center gap-2 text-sm">
      Go to
      <select
        className="max-w-40 rounded border border-slate-500 bg-white px-1 py-1 text-slate-900 dark:bg-slate-900 dark:text-slate-100"
        value={keyOf(beat)}
        onChange={(e) => {
          const o = options.find((x) => x.key === e.target.value);
          if (o) onGo(o.beat);
        }}
      >
        {options.map((o) => (
          <option key={o.key} value={o.key}>
            {o.text}
          </option>
        ))}
      </select>
    </label>
  );
}
