/** Reads the recorded data for tests (located by test/shared-data.ts). */
import fs from "node:fs";
import { requireSharedData, SHARED_DATA } from "@/test/shared-data";

export const DATA_DIR = SHARED_DATA;

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
    .readFileSync(requireSharedData(rel), "utf8")
    .split("\n")
    .filter((l) => l.trim() !== "")
    .map((l) => JSON.parse(l) as T);
}
