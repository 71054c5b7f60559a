/**
 * A built-in question ("`s` before line 4 runs the 3rd time") as the lesson API's question
 * (frame K of the real trace). Throws naming the slide when the trace has no such frame, so a
 * program edited without its questions fails the tests, not a class.
 */
import { questionProblem, type Question } from "@/lib/storage/lesson-schema";
import type { Frame } from "@/lib/trace/schema";
import type { BuiltinQuestion } from "./types";

/** Frame indexes of the line events of `line`, in order. */
function visitsOf(frames: readonly Frame[], line: number): number[] {
  const out: number[] = [];
  frames.forEach((f, i) => {
    if (f.event === "line" && f.line === line) out.push(i);
  });
  return out;
}

export function resolveQuestion(q: BuiltinQuestion, frames: readonly Frame[], where: string): Question {
  if (q.kind === "return" || q.kind === "halts") return { kind: q.kind };
  const visits = visitsOf(frames, q.line);
  const v = q.visit ?? 1;
  const frame = v > 0 ? visits[v - 1] : visits[visits.length + v];
  if (frame === undefined) throw new Error(`${where}: line ${q.line} runs ${visits.length} times; there is no visit ${v}`);
  const resolved: Question = q.kind === "value" ? { kind: "value", frame, name: q.name } : { kind: "next_line", frame };
  const problem = questionProblem(resolved, frames);
  if (problem) throw new Error(`${where}: ${problem.message}`);
  return resolved;
}
