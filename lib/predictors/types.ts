/** The one interface every predictor implements. */
import type { Prompt } from "@/lib/cwm/prompt";
import type { PromptSegment } from "@/lib/cwm/tokens";
import type { StepFrame } from "@/lib/debugger/frames";
import type { Frame, PredictedTrace, SamplingSettings } from "@/lib/trace/schema";

/** "chat": a general chat LLM asked for the trace (lib/predictors/chat.ts), never CWM. */
export type PredictorKind = "cwm" | "baseline" | "replay" | "chat";

export interface PredictInput {
  code: string;
  call?: string | null;
  /** The prompt of this code and call when the caller has built it already. */
  prompt?: Prompt;
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

/** One raw generation: what the debugger's steps and "Will it halt?" ask of a CWM server. */
export interface CompleteArgs {
  /** BOS first; special tokens are sent as tokens, text always as text. */
  segments: PromptSegment[];
  /** Token ids that end the generation (EOS always does). */
  stop: number[];
  settings: SamplingSettings;
  signal: AbortSignal;
  /** Text as it arrives (vLLM streams; Fastgen answers once). */
  onText?: (text: string) => void;
}

export interface CompleteResult {
  /** The generated text, without the text of the stop token when the server wrote it. */
  text: string;
  /** "stop": a stop token (or EOS) ended it; "length": max_tokens did. */
  finish: "stop" | "length";
  /** The stop token id that ended it when the server said or wrote which; null when it did not. */
  stoppedBy: number | null;
  tokens?: { prompt: number | null; completion: number | null };
}

export interface Predictor {
  readonly id: string;
  readonly label: string;
  readonly kind: PredictorKind;
  status(): PredictorStatus;
  /** Why this input must not be sent to the backend (answered with 422), or null. */
  refuse?(input: Pick<PredictInput, "code" | "call"> & { frames?: readonly StepFrame[] }): string | null;
  /** What the model reads for this code, when it is not CWM's prompt (a chat conversation): shown in the raw view. */
  promptText?(input: Pick<PredictInput, "code" | "call">): string;
  /** The model name, asking the server when it was not configured; null when unknown. */
  resolveModel(signal?: AbortSignal): Promise<string | null>;
  /**
   * Never rejects for backend trouble: the result is marked finish "error" with a message and
   * keeps every frame parsed before the failure.
   */
  predict(input: PredictInput, sink: PredictSink): Promise<PredictedTrace>;
  /**
   * A raw completion of a prompt built by the caller (CWM backends only). Rejects with a
   * PredictorError on backend trouble; the caller keeps what it had.
   */
  complete?(args: CompleteArgs): Promise<CompleteResult>;
}
