/**
 * Recorded CWM generations (JSONL lines with `id` and `generation`, as in
 * /work/shared/data/cwm-recorded/) read back through the same parser as a live model.
 */
import fs from "node:fs/promises";
import { parseReplay, type ReplayLookup } from "@/lib/predictors/replay-parse";
import { drive, feedInSlices, PredictorError } from "@/lib/predictors/drive";
import type { Predictor } from "@/lib/predictors/types";

export async function loadReplay(path: string): Promise<ReplayLookup> {
  let text: string;
  try {
    text = await fs.readFile(path, "utf8");
  } catch (err) {
    throw new Error(`cannot read replay file ${path}: ${err instanceof Error ? err.message : String(err)}`);
  }
  return parseReplay(text, path);
}

export { callOf, parseGeneration, parseReplay, type ReplayLookup } from "@/lib/predictors/replay-parse";

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
