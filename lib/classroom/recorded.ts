/**
 * Recorded CWM predictions loaded in the browser (issue 11): a teacher with no GPU opens a
 * recorded-generations JSONL (the replay format) and every slide whose code and call were
 * recorded gets its model answer from it. The file is read locally and never uploaded; the
 * prediction says where it came from.
 */
import { parseGeneration, parseReplay, type ReplayLookup } from "@/lib/predictors/replay-parse";
import type { PredictedTrace, PredictorInfo } from "@/lib/trace/schema";

export const RECORDED_LABEL = "CWM (recorded)";
export const RECORDED_ID = "recorded";
/** Bigger files are refused before parsing: the browser would hold them whole. */
export const MAX_RECORDED_BYTES = 64 * 1024 * 1024;

export interface RecordedSet {
  fileName: string;
  lookup: ReplayLookup;
}

/** Parses a recorded-generations JSONL; throws an Error naming the file and line otherwise. */
export function parseRecorded(text: string, fileName: string): RecordedSet {
  const lookup = parseReplay(text, fileName);
  if (lookup.size === 0) throw new Error(`${fileName} has no recorded generations (one JSON object per line with "id" and "generation")`);
  return { fileName, lookup };
}

/** A recording the user picked: refused by its size before it is read, then parsed (the text is kept to pass on to another window). */
export async function readRecordedFile(file: Pick<File, "name" | "size" | "text">): Promise<{ text: string; set: RecordedSet }> {
  if (file.size > MAX_RECORDED_BYTES) throw new Error(`${file.name} is larger than ${MAX_RECORDED_BYTES / 1024 / 1024} MiB`);
  const text = await file.text();
  return { text, set: parseRecorded(text, file.name) };
}

export function recordedPredictor(fileName: string): PredictorInfo {
  return { id: RECORDED_ID, model: fileName, label: RECORDED_LABEL };
}

/** The recorded prediction for this code and call, or null when the file has none. */
export function recordedPrediction(set: RecordedSet, code: string, call: string | null | undefined): PredictedTrace | null {
  const line = set.lookup.find(code, call);
  if (!line) return null;
  return parseGeneration(line.generation, { code, call: call ?? null }, recordedPredictor(set.fileName));
}

/** "CWM (recorded) · runs.jsonl", "CWM (vLLM) · facebook/cwm": who made a prediction, for a label. */
export function predictionLabel(p: Pick<PredictedTrace, "predictor">): string {
  const who = p.predictor.label ?? p.predictor.id;
  // A chat model's label already names its model ("qwen2.5-coder:7b via Ollama").
  return p.predictor.model && !who.includes(p.predictor.model) ? `${who} · ${p.predictor.model}` : who;
}
