/**
 * Recorded CWM generations (JSONL lines with `id` and `generation`, as in
 * /work/shared/data/cwm-recorded/), parsed without Node: the CLI, the server's replay predictor
 * and the browser (a teacher loading a recording into a lesson) read them the same way.
 */
import { z } from "zod";
import { normaliseCode } from "@/lib/cwm/program";
import { parseTrace } from "@/lib/cwm/parse";
import { buildPrompt } from "@/lib/cwm/prompt";
import type { PredictedTrace, PredictorInfo } from "@/lib/trace/schema";

export const ReplayLine = z
  .object({
    id: z.string(),
    generation: z.string(),
    code: z.string().optional(),
    /** CRUXEval style: the call is `f(<input>)`. */
    input: z.string().optional(),
    call: z.string().optional(),
  })
  .passthrough();
export type ReplayLine = z.infer<typeof ReplayLine>;

export interface ReplayLookup {
  readonly size: number;
  get(id: string): ReplayLine | undefined;
  /** The recorded generation for this code and call, when one was recorded. */
  find(code: string, call?: string | null): ReplayLine | undefined;
  ids(): string[];
}

export function callOf(line: { call?: string; input?: string }): string | null {
  if (line.call !== undefined) return line.call;
  if (line.input !== undefined) return `f(${line.input})`;
  return null;
}

const codeKey = (code: string, call?: string | null) => `${normaliseCode(code)}\u0000${(call ?? "").trim()}`;

/** Parses JSONL text; a bad line is an error naming its number. */
export function parseReplay(text: string, source = "replay file"): ReplayLookup {
  const byId = new Map<string, ReplayLine>();
  const byCode = new Map<string, ReplayLine>();
  const byCodeOnly = new Map<string, ReplayLine>();
  text.split("\n").forEach((raw, i) => {
    if (raw.trim() === "") return;
    let json: unknown;
    try {
      json = JSON.parse(raw);
    } catch {
      throw new Error(`${source} line ${i + 1}: not JSON`);
    }
    const r = ReplayLine.safeParse(json);
    if (!r.success) throw new Error(`${source} line ${i + 1}: needs string fields "id" and "generation"`);
    const line = r.data;
    if (byId.has(line.id)) throw new Error(`${source} line ${i + 1}: duplicate id "${line.id}"`);
    byId.set(line.id, line);
    if (line.code !== undefined) {
      byCode.set(codeKey(line.code, callOf(line)), line);
      if (!byCodeOnly.has(normaliseCode(line.code))) byCodeOnly.set(normaliseCode(line.code), line);
    }
  });
  return {
    size: byId.size,
    get: (id) => byId.get(id),
    find: (code, call) => byCode.get(codeKey(code, call)) ?? (call ? undefined : byCodeOnly.get(normaliseCode(code))),
    ids: () => [...byId.keys()],
  };
}

/** A recorded generation (the continuation after the seeded main frame) as a predicted trace. */
export function parseGeneration(generation: string, input: { code: string; call?: string | null }, predictor: PredictorInfo): PredictedTrace {
  const prompt = buildPrompt(input.code, input.call);
  const trace = parseTrace(generation, { program: prompt.program, predictor }, { finish: "length" });
  trace.prompt = prompt.withBos;
  return trace;
}

