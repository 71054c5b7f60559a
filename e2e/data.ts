import fs from "node:fs";
import path from "node:path";
import { SHARED_DATA, SHARED_DATA_MISSING, sharedDataPresent } from "../scripts/needs-shared-data.mjs";
import { test } from "./fixtures";

export interface RecordedSample {
  id: string;
  code: string;
  input: string;
  expected: string;
  predicted: string;
  correct: boolean;
}

/** A recorded CWM generation (read from shared/data at run time, never copied into the project). */
export function recordedSample(id: string): RecordedSample {
  // Called inside a test: without the data that test is skipped with the one clear line.
  test.skip(!sharedDataPresent, `needs shared data: ${SHARED_DATA_MISSING}`);
  const file = path.join(SHARED_DATA, "cwm-recorded/cruxeval-sample8.jsonl");
  for (const line of fs.readFileSync(file, "utf8").split("\n")) {
    if (!line.trim()) continue;
    const rec = JSON.parse(line) as RecordedSample;
    if (rec.id === id) return rec;
  }
  throw new Error(`no recorded sample ${id} in ${file}`);
}
