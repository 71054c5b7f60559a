"use client";
import { useCallback, useRef, useState } from "react";
import { streamPrediction } from "@/lib/predictors/client";
import type { PredictEvent } from "@/lib/predictors/protocol";
import type { Frame, PredictedTrace, PredictorInfo, SamplingSettings } from "@/lib/trace/schema";
import { useBatchedFrames } from "./useBatchedFrames";

export interface PredictionRun {
  runId: string;
  predictor: PredictorInfo | null;
  settings: SamplingSettings | null;
  prompt: string | null;
  raw: string;
  /** The final prediction; null while it streams. */
  final: PredictedTrace | null;
  /** A failure in words (request refused, server down…); frames so far are kept. */
  error: string | null;
  streaming: boolean;
}

function newRunId(): string {
  return crypto.randomUUID();
}

/** The predicted trace: streamed from POST /api/predict, frames published as they arrive. */
export function usePrediction() {
  const [run, setRun] = useState<PredictionRun | null>(null);
  const frames = useBatchedFrames();
  const current = useRef<{ runId: string; abort: AbortController } | null>(null);
  // The stream's own record, so the final prediction can be assembled without waiting for a render.
  const got = useRef<{ frames: Frame[]; raw: string; prompt: string | null }>({ frames: [], raw: "", prompt: null });

  const onEvent = useCallback(
    (e: PredictEvent) => {
      if (e.runId !== current.current?.runId) return;
      switch (e.type) {
        case "start": {
          got.current.prompt = e.prompt;
          const predictor: PredictorInfo = { id: e.predictor.id, model: e.predictor.model, label: e.predictor.label };
          setRun((r) => (r && r.runId === e.runId ? { ...r, predictor, settings: e.settings, prompt: e.prompt } : r));
          break;
        }
        case "frame":
          got.current.frames[e.index] = e.frame;
          frames.push([e.frame]);
          break;
        case "raw":
          got.current.raw += e.text;
          setRun((r) => (r && r.runId === e.runId ? { ...r, raw: r.raw + e.text } : r));
          break;
        case "end": {
          const g = got.current;
          const final: PredictedTrace = { ...e.summary, frames: g.frames.filter(Boolean), raw: g.raw, prompt: g.prompt ?? undefined };
          frames.reset(final.frames);
          const failed = e.summary.finish === "error" || e.summary.finish === "stopped";
          setRun((r) =>
            r && r.runId === e.runId
              ? { ...r, final, predictor: e.summary.predictor, streaming: false, error: failed ? (e.summary.message ?? (e.summary.finish === "stopped" ? "stopped" : "prediction failed")) : null }
              : r,
          );
          break;
        }
      }
    },
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [],
  );

  const start = useCallback(
    (req: { predictor: string; code: string; call: string; settings?: Partial<SamplingSettings> }) => {
      current.current?.abort.abort();
      const runId = newRunId();
      const abort = new AbortController();
      current.current = { runId, abort };
      frames.reset();
      got.current = { frames: [], raw: "", prompt: null };
      setRun({ runId, predictor: null, settings: null, prompt: null, raw: "", final: null, error: null, streaming: true });
      streamPrediction({ runId, predictor: req.predictor, code: req.code, call: req.call || null, settings: req.settings }, onEvent, abort.signal).catch((err: unknown) => {
        if (current.current?.runId !== runId) return;
        frames.flush();
        const message = abort.signal.aborted ? "stopped by you" : err instanceof Error ? err.message : String(err);
        setRun((r) => (r && r.runId === runId ? { ...r, streaming: false, error: message } : r));
      });
      return runId;
    },
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [onEvent],
  );

  const stop = useCallback(() => current.current?.abort.abort(), []);

  const show = useCallback((p: PredictedTrace) => {
    current.current = null;
    frames.reset(p.frames);
    setRun({ runId: "stored", predictor: p.predictor, settings: p.settings ?? null, prompt: p.prompt ?? null, raw: p.raw, final: p, error: null, streaming: false });
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  const clear = useCallback(() => {
    current.current?.abort.abort();
    current.current = null;
    frames.reset();
    setRun(null);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  return { run, frames: frames.frames, start, stop, show, clear };
}
