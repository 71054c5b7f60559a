/**
 * POST /api/predict/step: one frame of the model's trace for the neural debugger. The prompt is
 * rebuilt here from validated frames (fields as text, never tokens); the same predictor limits,
 * queue and 429 as /api/predict apply, since each step is a request to the same GPU.
 */
import { buildPrompt } from "@/lib/cwm/prompt";
import { canonicalFrames, withLocal, type StepFrame } from "@/lib/debugger/frames";
import { StepRequest, type StepResponse } from "@/lib/debugger/protocol";
import { readJsonBody } from "@/lib/http/body";
import { AppError, errorResponse } from "@/lib/http/errors";
import { LIMITS } from "@/lib/http/limits";
import { PredictorError } from "@/lib/predictors/drive";
import { availablePredictor, samplingOf } from "@/lib/predictors/handler";
import type { Registry } from "@/lib/predictors/registry";
import { canStep, stepOnce } from "@/lib/predictors/step";

export interface StepHandlerDeps {
  registry: Registry;
  /** max_tokens when the request does not set it (CWM_MAX_TOKENS); a step is capped lower anyway. */
  defaultMaxTokens: number;
}

export function createStepHandler(deps: StepHandlerDeps): (req: Request) => Promise<Response> {
  return async (req) => {
    const started = performance.now();
    let release: (() => void) | null = null;
    try {
      const body = StepRequest.parse(await readJsonBody(req, LIMITS.body.step));
      const predictor = availablePredictor(deps.registry, body.predictor);
      if (!canStep(predictor))
        throw new AppError("validation", `${predictor.label} cannot be driven one frame at a time: the debugger needs CWM (vLLM or Fastgen)`);
      let frames: StepFrame[] = body.frames;
      if (body.edit) {
        const last = frames[frames.length - 1];
        if (!last) throw new AppError("validation", "edit: step into the program first; the entry frame has no locals to edit");
        if (last.event !== "call" && last.event !== "line") throw new AppError("validation", `edit: the current frame is a ${last.event} frame, which has no locals`);
        frames = [...frames.slice(0, -1), withLocal(last, body.edit.name, body.edit.repr)];
      }
      // The frames go into the prompt too: without the tokenizer, special-token text in them would be read as a token.
      const refusal = predictor.refuse?.({ code: body.code, call: body.call, frames });
      if (refusal) throw new AppError("validation", refusal);
      const settings = samplingOf(body.settings, deps.defaultMaxTokens);
      const prompt = buildPrompt(body.code, body.call);
      release = await deps.registry.limiter(predictor.id).acquire(req.signal);
      const model = await predictor.resolveModel(req.signal);
      const t0 = performance.now();
      let r;
      try {
        r = await stepOnce(predictor, { prompt, frames, force: body.force ?? null, settings, signal: req.signal });
      } catch (err) {
        if (err instanceof PredictorError) throw new AppError("upstream", err.message);
        throw err;
      } finally {
        release();
        release = null;
      }
      const backend_ms = performance.now() - t0;
      const common = {
        runId: body.runId,
        predictor: { id: predictor.id, label: predictor.label, kind: predictor.kind, model },
        text: r.text,
        ...(r.tokens ? { tokens: r.tokens } : {}),
      };
      let answer: StepResponse;
      if (r.end === "frame") {
        // Read in the context of the frames before it, so its line and full locals are right.
        const all = body.canonical ? canonicalFrames(prompt.program, [...frames, r.frame], common.predictor) : null;
        answer = { end: "frame", ...common, frame: r.frame, ...(all ? { canonical: all[all.length - 1] } : {}), backend_ms, elapsed_ms: performance.now() - started };
      } else answer = { end: r.end, ...common, backend_ms, elapsed_ms: performance.now() - started };
      return Response.json(answer, { headers: { "cache-control": "no-store" } });
    } catch (err) {
      release?.();
      return errorResponse(err);
    }
  };
}
