import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const here = path.dirname(fileURLToPath(import.meta.url));

const SHARED = process.env.CWM_SHARED_DATA ?? path.resolve(here, "../../shared/data");

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
  const file = path.join(SHARED, "cwm-recorded/cruxeval-sample8.jsonl");
  for (const line of fs.readFileSync(file, "utf8").split("\n")) {
    if (!line.trim()) continue;
    const rec = JSON.parse(line) as RecordedSample;
    if (rec.id === id) return rec;
  }
  throw new Error(`no recorded sample ${id} in ${file}`);
}
