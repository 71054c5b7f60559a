/**
 * POST /api/predict/step: one frame of the model's trace, shared by the route and the browser.
 * The client sends the frames so far as the model wrote them; the server rebuilds the prompt from
 * those validated frames (every field as text, never as tokens), so no client can inject one.
 */
import { z } from "zod";
import { LIMITS } from "@/lib/http/limits";
import { StepFrame } from "@/lib/debugger/frames";
import { AnsweringPredictor, PredictRequest } from "@/lib/predictors/protocol";
import { Frame, FrameEvent } from "@/lib/trace/schema";

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** A counterfactual: the last frame's local `name` set to `repr` before the model continues. */
export const StepEdit = z
  .object({
    name: z.string().max(200).regex(IDENTIFIER, "edit.name must be a Python identifier"),
    /** The value's repr, made in the sandbox (the real run's edit) — never evaluated on the server. */
    repr: z.string().min(1).max(64 * 1024),
  })
  .strict();
export type StepEdit = z.infer<typeof StepEdit>;

/** The program's fields and limits are a prediction request's: a step is about the same program. */
export const StepRequest = PredictRequest.pick({ runId: true, predictor: true, code: true, call: true, settings: true })
  .extend({
    /** The model's frames after the seeded entry frame, as it wrote them (".." kept). */
    frames: z.array(StepFrame).max(LIMITS.frames, `more than ${LIMITS.frames} frames`),
    /** An event token to append: "line" steps into a call, "return" steps over it. */
    force: FrameEvent.nullable().optional(),
    edit: StepEdit.optional(),
    /**
     * Also answer the new frame in canonical form (full locals, line number). It costs a parse of
     * every frame so far, so it is asked for, not given: the browser reads frames itself.
     */
    canonical: z.boolean().optional(),
  })
  .strict();
export type StepRequest = z.infer<typeof StepRequest>;

const StepCommon = {
  runId: z.string(),
  predictor: AnsweringPredictor,
  /** The model's text for this step, the forced token first. */
  text: z.string(),
  /** Time the backend took, and the whole request on the server (the route's cost is the difference). */
  backend_ms: z.number().nonnegative(),
  elapsed_ms: z.number().nonnegative(),
  tokens: z.object({ prompt: z.number().int().nullable(), completion: z.number().int().nullable() }).strict().optional(),
};

export const StepResponse = z.discriminatedUnion("end", [
  z
    .object({
      end: z.literal("frame"),
      ...StepCommon,
      /** The new frame as written: send it back with the next step. */
      frame: StepFrame,
      /** When asked for: the same frame in canonical form, read in the context of the frames so far. */
      canonical: Frame.optional(),
    })
    .strict(),
  z.object({ end: z.literal("eos"), ...StepCommon }).strict(),
  z.object({ end: z.literal("length"), ...StepCommon }).strict(),
  z.object({ end: z.literal("invalid"), ...StepCommon }).strict(),
]);
export type StepResponse = z.infer<typeof StepResponse>;
