/** The one interface every predictor implements. */
import type { Frame, PredictedTrace, SamplingSettings } from "@/lib/trace/schema";

export type PredictorKind = "cwm" | "baseline" | "replay";

export interface PredictInput {
  code: string;
  call?: string | null;
  settings: SamplingSettings;
  signal?: AbortSignal;
}

/** Streamed while predicting: each frame the moment it is parsed, and the model's text as it comes. */
export type PredictSinkEvent = { type: "frame"; index: number; frame: Frame } | { type: "raw"; text: string };
export type PredictSink = (event: PredictSinkEvent) => void;

export interface PredictorStatus {
  available: boolean;
  model: string | null;
  /** Why it is unavailable, for people. */
  message?: string;
  /** For an unconfigured backend: the environment lines that would connect it. */
  env?: string[];
}

export interface Predictor {
  readonly id: string;
  readonly label: string;
  readonly kind: PredictorKind;
  status(): PredictorStatus;
  /** The model name, asking the server when it was not configured; null when unknown. */
  resolveModel(signal?: AbortSignal): Promise<string | null>;
  /**
   * Never rejects for backend trouble: the result is marked finish "error" with a message and
   * keeps every frame parsed before the failure.
   */
  predict(input: PredictInput, sink: PredictSink): Promise<PredictedTrace>;
}

export const DEFAULT_SETTINGS: SamplingSettings = { temperature: 0, max_tokens: 4096 };
