/**
 * The current step, derived from the cursor and the aligned rows: which frame of each side it
 * shows, where the editor marks go, and what a screen reader hears.
 */
import type { Frame } from "@/lib/trace/schema";
import type { ComparisonView } from "./comparison";
import { frameAtOrBefore } from "./rows";
import type { SessionState } from "./session";
import { isUnwinding } from "./view";

export interface StepView {
  /** The cursor clamped to the rows. */
  cursor: number;
  actualIndex: number | null;
  predictedIndex: number | null;
  actualFrame: Frame | null;
  predictedFrame: Frame | null;
  actualUnwinding: boolean;
  predictedUnwinding: boolean;
  /** The compared (second) prediction's frame on this row, when two predictions are shown. */
  secondFrame: Frame | null;
  secondUnwinding: boolean;
  /** Editor marks: the line of the latest frame at or before this step, per side. */
  marks: { actual: number | null; predicted: number | null };
  announcement: string;
}

function describe(side: string, f: Frame | null): string | null {
  if (!f) return null;
  const where = f.line === null ? "an unknown line" : `line ${f.line}`;
  const what =
    f.event === "return" ? `returns ${f.value ?? ""}` : f.event === "exception" ? `raises ${f.value ?? ""}` : f.event === "call" ? "enters a function" : "";
  return `${side}: ${where}${what ? `, ${what}` : ""}`;
}

export function stepView(s: SessionState, cmp: ComparisonView): StepView {
  const rows = cmp.rows;
  const cursor = Math.min(s.cursor, Math.max(0, rows.length - 1));
  const row = rows[cursor];
  const actual = s.real?.frames ?? [];
  const predicted = s.prediction?.frames ?? [];
  const actualIndex = row && row.a !== null ? row.a : null;
  const predictedIndex = row && row.p !== null ? row.p : null;
  const actualFrame = actualIndex !== null ? (actual[actualIndex] ?? null) : null;
  const predictedFrame = predictedIndex !== null ? (predicted[predictedIndex] ?? null) : null;
  const aAt = row ? frameAtOrBefore(rows, cursor, "a") : null;
  const pAt = row ? frameAtOrBefore(rows, cursor, "p") : null;
  const secondIndex = cmp.second?.cells[cursor]?.p ?? null;
  const secondFrames = s.second?.frames ?? [];
  const secondFrame = secondIndex !== null ? (secondFrames[secondIndex] ?? null) : null;
  const parts = [describe("real", actualFrame), describe("predicted", predictedFrame), describe("second prediction", secondFrame)].filter(
    (x): x is string => x !== null,
  );
  return {
    cursor,
    actualIndex,
    predictedIndex,
    actualFrame,
    predictedFrame,
    actualUnwinding: actualIndex !== null && isUnwinding(actual, actualIndex),
    predictedUnwinding: predictedIndex !== null && isUnwinding(predicted, predictedIndex),
    secondFrame,
    secondUnwinding: secondIndex !== null && isUnwinding(secondFrames, secondIndex),
    marks: {
      actual: aAt !== null ? (actual[aAt]?.line ?? null) : null,
      predicted: pAt !== null ? (predicted[pAt]?.line ?? null) : null,
    },
    announcement: rows.length === 0 ? "" : `Step ${cursor + 1} of ${rows.length}. ${parts.join("; ")}`,
  };
}
