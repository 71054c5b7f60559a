/**
 * Whether a prediction posted with a shared run was made by this server. Anyone can post any
 * JSON claiming to come from CWM, so a shared prediction is "server" only when this server can
 * show it made that very output for that code, call, predictor and settings:
 * - it is in the ledger of predictions this process streamed (greedy or sampled, bounded LRU);
 * - or it equals the greedy prediction cache's entry for the same context (across restarts);
 * - or, for the syntax baseline, recomputing it gives the same output.
 * Everything else is "uploaded", and every page says so.
 */
import "server-only";
import { createHash } from "node:crypto";
import { LRUCache } from "lru-cache";
import { buildPrompt } from "@/lib/cwm/prompt";
import { createBaselinePredictor } from "@/lib/predictors/baseline";
import { canonicalJson } from "@/lib/predictors/canonical-json";
import { nextTask } from "@/lib/predictors/drive";
import { BASELINE_ID } from "@/lib/predictors/protocol";
import type { Provenance } from "@/lib/storage/schema";
import type { PredictedTrace, SamplingSettings } from "@/lib/trace/schema";

export type { Provenance };

/**
 * What makes two predictions the same: the context, who made it and how, and the output. The
 * frames are hashed one by one with pauses: 10,000 frames of large locals must not hold the
 * event loop while a prediction is recorded or a shared one checked.
 */
export async function predictionFingerprint(prompt: string, p: PredictedTrace): Promise<string> {
  const hash = createHash("sha256");
  hash.update(
    canonicalJson({
      prompt,
      predictor: p.predictor.id,
      model: p.predictor.model,
      settings: p.settings ?? null,
      status: p.status,
      result: p.result,
      error: p.error,
      finish: p.finish,
      frames: p.frames.length,
    }),
  );
  let since = performance.now();
  for (const f of p.frames) {
    // JSON text never holds a raw newline, so this separates frames unambiguously.
    hash.update(`\n${canonicalJson(f)}`);
    if (performance.now() - since > PAUSE_AFTER_MS) {
      await nextTask();
      since = performance.now();
    }
  }
  hash.update("\nraw\n");
  hash.update(p.raw);
  return hash.digest("hex");
}

const PAUSE_AFTER_MS = 2;

/** Fingerprints of the predictions this process made; the oldest are forgotten first. */
export class PredictionLedger {
  private readonly seen: LRUCache<string, true>;

  constructor(max = 20_000) {
    this.seen = new LRUCache({ max });
  }

  /** `prompt`: the whole prompt (BOS included) the prediction was made from. */
  async record(prompt: string, p: PredictedTrace): Promise<void> {
    this.seen.set(await predictionFingerprint(prompt, p), true);
  }

  has(fingerprint: string): boolean {
    return this.seen.has(fingerprint);
  }
}

const GLOBAL_KEY = Symbol.for("cwm-playground.prediction-ledger");

/** The process's ledger, shared by POST /api/predict (writes) and POST /api/runs (reads). */
export function serverLedger(): PredictionLedger {
  const g = globalThis as Record<symbol, PredictionLedger | undefined>;
  g[GLOBAL_KEY] ??= new PredictionLedger();
  return g[GLOBAL_KEY];
}

export interface ProvenanceSources {
  ledger: PredictionLedger;
  /** The greedy prediction cache: its key for a context, and its entry without counting a hit. */
  cache?: {
    key(parts: { predictorId: string; model: string | null; prompt: string; settings: SamplingSettings }): string;
    peek(key: string): Promise<PredictedTrace | null>;
  };
}

export async function verifyProvenance(
  code: string,
  call: string | null | undefined,
  p: PredictedTrace,
  sources: ProvenanceSources,
): Promise<Provenance> {
  const prompt = buildPrompt(code, call).withBos;
  const fingerprint = await predictionFingerprint(prompt, p);
  if (sources.ledger.has(fingerprint)) return "server";
  if (!p.settings) return "uploaded";
  const same = async (other: PredictedTrace | null) => other !== null && (await predictionFingerprint(prompt, other)) === fingerprint;
  if (p.predictor.id === BASELINE_ID) {
    // Deterministic and bounded: made again here, it either matches or it was edited.
    const again = await createBaselinePredictor().predict({ code, call, settings: p.settings }, () => {});
    return (await same(again)) ? "server" : "uploaded";
  }
  if (sources.cache && p.settings.temperature === 0 && p.predictor.model !== null) {
    const key = sources.cache.key({ predictorId: p.predictor.id, model: p.predictor.model, prompt, settings: p.settings });
    const hit = await sources.cache.peek(key).catch(() => null);
    if (await same(hit)) return "server";
  }
  return "uploaded";
}
