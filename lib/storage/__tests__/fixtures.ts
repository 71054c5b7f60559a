/**
 * A real run: counter_N3.json from the shared data (a program traced for real and by CWM,
 * which invents the loop bound), turned into canonical traces.
 */
import fs from "node:fs";
import { z } from "zod";
import { CanonicalTrace, PredictedTrace, type Frame } from "@/lib/trace/schema";
import { requireSharedData } from "@/test/shared-data";

export { SHARED_DATA as sharedData } from "@/test/shared-data";

const RecordedFrame = z.tuple([z.string(), z.string(), z.record(z.string(), z.string()), z.string().nullable()]);
const Recorded = z.object({ source: z.string(), gt: z.array(RecordedFrame), pred: z.array(RecordedFrame) });

const MARKER = "  # << START_OF_TRACE";

function toFrames(rows: z.infer<typeof RecordedFrame>[], lines: string[]): Frame[] {
  return rows.map(([event, source, locals, value]) => {
    const ev = z.enum(["call", "line", "return", "exception"]).parse(event.toLowerCase());
    const text = source.replace(MARKER, "");
    const idx = lines.indexOf(text);
    const frame: Frame = { event: ev, line: idx >= 0 ? idx + 1 : null, source: text };
    if (ev === "call" || ev === "line") frame.locals = locals;
    else frame.value = value ?? "None";
    return frame;
  });
}

export interface RunFixture {
  code: string;
  call: string;
  actual: CanonicalTrace;
  prediction: PredictedTrace;
}

export function counterRun(): RunFixture {
  const rec = Recorded.parse(JSON.parse(fs.readFileSync(requireSharedData("cwm-recorded/counter_N3.json"), "utf8")));
  const all = rec.source.replace(MARKER, "").trimEnd().split("\n");
  const call = all[all.length - 1];
  const code = all.slice(0, -2).join("\n") + "\n";
  const lines = code.split("\n");
  const actualFrames = toFrames(rec.gt, lines);
  const predFrames = toFrames(rec.pred, lines);
  const actual = CanonicalTrace.parse({
    status: "returned",
    frames: actualFrames,
    result: actualFrames[actualFrames.length - 1].value ?? null,
    error: null,
    stdout: "",
    executor: "CPython 3.11 (recorded)",
  });
  const prediction = PredictedTrace.parse({
    status: "returned",
    frames: predFrames,
    result: predFrames[predFrames.length - 1].value ?? null,
    error: null,
    stdout: "",
    predictor: { id: "cwm-vllm", model: "facebook/cwm", label: "CWM (vLLM)" },
    finish: "eos",
    valid_format: true,
    valid_json: true,
    raw: "<|frame_sep|>…recorded…",
    prompt: "<|begin_of_text|><|trace_context_start|>…",
    settings: { temperature: 0, max_tokens: 4096 },
    tokens: { prompt: 120, completion: 800 },
    elapsed_ms: 1234.5,
  });
  return { code, call, actual, prediction };
}
