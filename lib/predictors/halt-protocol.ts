/**
 * The NDJSON stream of POST /api/halt ("Will it halt?"), shared by the route and the browser.
 * Every event carries the client's run id so a late event of an older question is dropped.
 */
import { z } from "zod";
import { HaltVerdict } from "@/lib/cwm/chat";
import { PredictRequest, StartEvent } from "@/lib/predictors/protocol";

/** The same fields and limits as a prediction request: the question is about the same program. */
export const HaltRequest = PredictRequest;
export type HaltRequest = z.infer<typeof HaltRequest>;

/** The same start as a prediction's: who answers, with which settings, reading which prompt (here the chat prompt). */
export const HaltStartEvent = StartEvent;
export type HaltStartEvent = z.infer<typeof HaltStartEvent>;

/** More of the model's reasoning (the text inside <think>…</think>). */
export const HaltReasoningEvent = z.object({ type: z.literal("reasoning"), runId: z.string(), text: z.string() }).strict();
export type HaltReasoningEvent = z.infer<typeof HaltReasoningEvent>;

/** More of the answer (after </think>). */
export const HaltAnswerEvent = z.object({ type: z.literal("answer"), runId: z.string(), text: z.string() }).strict();
export type HaltAnswerEvent = z.infer<typeof HaltAnswerEvent>;

/** stop: the model ended its turn; length: max_tokens ended it; error / stopped: cut short (partial text kept). */
export const HaltFinish = z.enum(["stop", "length", "error", "stopped"]);
export type HaltFinish = z.infer<typeof HaltFinish>;

export const HaltEndEvent = z
  .object({
    type: z.literal("end"),
    runId: z.string(),
    verdict: HaltVerdict,
    finish: HaltFinish,
    /** Why it ended early, in words. */
    message: z.string().optional(),
    tokens: z.object({ prompt: z.number().int().nullable(), completion: z.number().int().nullable() }).strict().optional(),
  })
  .strict();
export type HaltEndEvent = z.infer<typeof HaltEndEvent>;

export const HaltEvent = z.discriminatedUnion("type", [HaltStartEvent, HaltReasoningEvent, HaltAnswerEvent, HaltEndEvent]);
export type HaltEvent = z.infer<typeof HaltEvent>;

/** Reasoning needs room: a bound keeps one click from holding a GPU slot for minutes (see halt-handler.ts). */
export const HALT_DEFAULT_MAX_TOKENS = 4096;
