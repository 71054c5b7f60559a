/**
 * Built-in lessons as we write them: small programs of our own, questions named by line and
 * local (a person's way of saying it) and resolved to frame indexes against the real trace.
 * Browser-safe: the lesson index and tests read the definitions; only seeding stores them.
 */

/** Which visit of a line: 1 is the first time it is about to run, -1 the last. */
export type Visit = number;

export type BuiltinQuestion =
  { kind: "value"; line: number; name: string; visit?: Visit } | { kind: "next_line"; line: number; visit?: Visit } | { kind: "return" } | { kind: "halts" };

export interface BuiltinSlide {
  /** The stored run's fixed id (RunId: 16–64 of [A-Za-z0-9_-]). */
  runId: string;
  title: string;
  code: string;
  call: string;
  notes: string;
  questions: BuiltinQuestion[];
  /** A frame budget below the playground's 10,000, for a program that never ends (keeps the stored trace small). */
  maxSteps?: number;
}

export interface BuiltinLesson {
  /** The lesson's fixed id: the same on every server, so a link to it works everywhere. */
  id: string;
  title: string;
  /** One sentence for the lesson index. */
  summary: string;
  slides: BuiltinSlide[];
}

/** The first notes of every built-in: we ship no model output, so say how to get one. */
export const NO_PREDICTION_NOTE = [
  "> **No model prediction ships with this lesson.** It runs as *you vs reality*: the class guesses, the real run answers.",
  "> To put CWM's guess beside them: connect a CWM server (`CWM_VLLM_URL=http://gpu-host:8000` or",
  "> `CWM_FASTGEN_URL` with `CWM_TOKENIZER_PATH`, then `npm start`) and run the slide's code in the playground;",
  "> or load recorded predictions (a recorded-generations JSONL) in the playground; or build a lesson with",
  "> predictions from the command line: `npm run cwm -- lesson create --dataset DATA.jsonl --replay RECORDED.jsonl --title …`.",
].join("\n");
