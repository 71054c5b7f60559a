/**
 * Recorded CWM generations (JSONL lines with `id` and `generation`, as in
 * /work/shared/data/cwm-recorded/) read back through the same parser as a live model.
 */
import fs from "node:fs/promises";
import { z } from "zod";
import { normaliseCode } from "@/lib/cwm/program";
import { parseTrace } from "@/lib/cwm/parse";
import { buildPrompt } from "@/lib/cwm/prompt";
import { drive, feedInSlices, PredictorError } from "@/lib/predictors/drive";
import type { Predictor } from "@/lib/predictors/types";
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

export async function loadReplay(path: string): Promise<ReplayLookup> {
  let text: string;
  try {
    text = await fs.readFile(path, "utf8");
  } catch (err) {
    throw new Error(`cannot read replay file ${path}: ${err instanceof Error ? err.message : String(err)}`);
  }
  return parseReplay(text, path);
}

/** A recorded generation (the continuation after the seeded main frame) as a predicted trace. */
export function parseGeneration(generation: string, input: { code: string; call?: string | null }, predictor: PredictorInfo): PredictedTrace {
  const prompt = buildPrompt(input.code, input.call);
  const trace = parseTrace(generation, { program: prompt.program, predictor }, { finish: "length" });
  trace.prompt = prompt.withBos;
  return trace;
}

export const REPLAY_ID = "replay";

export function createReplayPredictor(path: string, opts: { id?: string; model?: string } = {}): Predictor {
  const id = opts.id ?? REPLAY_ID;
  const label = "Recorded CWM outputs (replay)";
  const model = opts.model ?? "facebook/cwm (recorded)";
  let lookup: Promise<ReplayLookup> | null = null;
  const load = () => {
    if (!lookup) {
      lookup = loadReplay(path);
      lookup.catch(() => (lookup = null));
    }
    return lookup;
  };
  return {
    id,
    label,
    kind: "replay",
    status: () => ({ available: true, model }),
    resolveModel: async () => model,
    predict(input, sink) {
      return drive({ id, model, label }, input, sink, async ({ onText, signal }) => {
        const found = (await load()).find(input.code, input.call);
        if (!found) throw new PredictorError("no recorded generation for this code and call in the replay file");
        await feedInSlices(found.generation, onText, signal);
        // A recording ends where the model stopped; without EOS it was cut at its budget.
        return { finish: "length" };
      });
    },
  };
}
