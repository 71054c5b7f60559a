/** Locates /work/shared/data for tests: CWM_SHARED_DATA, else ../shared/data beside the repo. */
import fs from "node:fs";
import path from "node:path";

export const DATA_DIR = process.env.CWM_SHARED_DATA ?? path.resolve(__dirname, "../../../../shared/data");

export interface RecordedLine {
  id: string;
  code: string;
  input: string;
  expected: string;
  predicted: string | null;
  correct: boolean;
  n_gt_frames: number;
  n_pred_frames: number;
  generation: string;
}

export function readJsonl<T>(rel: string): T[] {
  return fs
    .readFileSync(path.join(DATA_DIR, rel), "utf8")
    .split("\n")
    .filter((l) => l.trim() !== "")
    .map((l) => JSON.parse(l) as T);
}
