"use client";
import { useState } from "react";
import { sameQuestion } from "@/lib/classroom/draft";
import { LESSON_LIMITS, type Question } from "@/lib/storage/lesson-schema";
import type { StoredRun } from "@/lib/storage/schema";
import { wrapperLines } from "@/lib/playground/view";
import { SECONDARY_BUTTON } from "../Toolbar";

/** Rows rendered at first and per "Show more": a 10,000-frame run must not stall the page. */
const PAGE = 200;
const PICK = "rounded border px-1.5 py-0.5 text-left min-h-8 min-w-8";
const PICK_OFF = "border-slate-400 hover:bg-slate-100 dark:border-slate-500 dark:hover:bg-slate-800";
const PICK_ON = "border-emerald-700 bg-emerald-50 font-semibold dark:border-emerald-300 dark:bg-emerald-950";

/**
 * The run's real trace as a table to pick questions from: a frame's number asks which line runs
 * next (not offered on the last frame), a local asks its value before that line runs. A picked
 * question is pressed; pressing it again takes it off the slide.
 */
export function RunFrames(props: { run: StoredRun; slide: number; questions: readonly Question[]; onToggle: (q: Question) => void }) {
  const [shown, setShown] = useState(PAGE);
  const frames = props.run.actual.frames;
  const wrappers = wrapperLines({ code: props.run.code, call: props.run.call ?? "" });
  const asked = (q: Question) => props.questions.some((x) => sameQuestion(x, q));
  const full = props.questions.length >= LESSON_LIMITS.questions;
  /**
   * A question button. Its visible text is always part of its accessible name (WCAG 2.5.3): the
   * label, when given, adds where the question is asked; the pressed mark is outside the name.
   */
  const pick = (q: Question, text: string, label: string | undefined, extra = "") => {
    const on = asked(q);
    return (
      <button
        type="button"
        aria-label={label}
        aria-pressed={on}
        disabled={!on && full}
        title={!on && full ? `A slide has at most ${LESSON_LIMITS.questions} questions` : (label ?? text)}
        className={`${PICK} ${on ? PICK_ON : PICK_OFF} disabled:opacity-50 ${extra}`}
        onClick={() => props.onToggle(q)}
      >
        {on && <span aria-hidden="true">✓ </span>}
        {text}
      </button>
    );
  };
  const subject = props.run.call?.trim() || "the program";
  const end = { kind: "return" } as const;
  const halts = { kind: "halts" } as const;
  return (
    <div className="space-y-2">
      <div className="flex flex-wrap gap-2">
        {pick(end, `Ask what ${subject} returns`, undefined, "min-h-11 px-3")}
        {pick(halts, `Ask whether ${subject} finishes`, undefined, "min-h-11 px-3")}
      </div>
      <div
        className="max-h-96 overflow-auto rounded border border-slate-300 dark:border-slate-600"
        tabIndex={0}
        role="region"
        aria-label={`Real trace of slide ${props.slide + 1}`}
      >
        <table className="w-full text-sm" data-testid="editor-frames">
          <caption className="sr-only">
            The real trace, {frames.length} frames. Press a frame number to ask which line runs next; press a local to ask its value.
          </caption>
          <thead className="sticky top-0 bg-slate-100 dark:bg-slate-800">
            <tr>
              <th scope="col" className="px-2 py-1 text-left">
                Frame
              </th>
              <th scope="col" className="px-2 py-1 text-left">
                Line
              </th>
              <th scope="col" className="px-2 py-1 text-left">
                Source
              </th>
              <th scope="col" className="px-2 py-1 text-left">
                Locals (before the line runs)
              </th>
            </tr>
          </thead>
          <tbody>
            {frames.slice(0, shown).map((f, k) => {
              const last = k === frames.length - 1;
              const where = f.line === null ? `frame ${k}` : `frame ${k} (line ${f.line})`;
              const locals = f.event === "call" || f.event === "line" ? Object.entries(f.locals ?? {}) : [];
              return (
                <tr key={k} className="border-t border-slate-200 align-top dark:border-slate-700" data-frame={k}>
                  <td className="px-2 py-1">
                    {last ? (
                      <span title="The last frame: no line runs after it">{k}</span>
                    ) : (
                      pick({ kind: "next_line", frame: k }, String(k), `Ask which line runs after ${where}`, "font-code")
                    )}
                  </td>
                  <td className="px-2 py-1">
                    {f.line ?? "–"}
                    {f.event !== "line" && <span className="ml-1 text-xs text-slate-700 dark:text-slate-300">{f.event}</span>}
                    {f.line !== null && wrappers.has(f.line) && <span className="ml-1 block text-xs text-slate-700 dark:text-slate-300">entry wrapper</span>}
                  </td>
                  <td className="font-code px-2 py-1 whitespace-pre">{f.source}</td>
                  <td className="px-2 py-1">
                    <div className="flex flex-wrap gap-1">
                      {locals.map(([name, repr]) =>
                        [...name].length > LESSON_LIMITS.nameChars ? (
                          <span key={name} className="font-code">
                            {name} = {repr}
                          </span>
                        ) : (
                          // The name is the button; the value beside it stays out of the button's name.
                          <span key={name} className="font-code break-all">
                            {pick({ kind: "value", frame: k, name }, name, `Ask the value of ${name} at ${where}`)} = {repr}
                          </span>
                        ),
                      )}
                      {f.value !== undefined && (
                        <span className="font-code text-slate-700 dark:text-slate-300">
                          {f.event === "return" ? "returns" : "raises"} {f.value}
                        </span>
                      )}
                    </div>
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
      {shown < frames.length && (
        <button type="button" className={SECONDARY_BUTTON} onClick={() => setShown((n) => n + PAGE)}>
          Show {Math.min(PAGE, frames.length - shown)} more frames ({frames.length - shown} not shown)
        </button>
      )}
    </div>
  );
}
