"use client";
import { useCallback, useRef, useState } from "react";
import { streamPrediction } from "@/lib/predictors/client";
import type { PredictEvent } from "@/lib/predictors/protocol";
import type { PredictedTrace, PredictorInfo, SamplingSettings } from "@/lib/trace/schema";
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
  // getRandomValues works outside secure contexts too (a classroom server on http://<lan-ip>).
  const b = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(b, (x) => x.toString(16).padStart(2, "0")).join("");
}

/** The predicted trace: streamed from POST /api/predict, frames published as they arrive. */
export function usePrediction() {
  const [run, setRun] = useState<PredictionRun | null>(null);
  const { frames, push, reset } = useBatchedFrames();
  const current = useRef<{ runId: string; abort: AbortController } | null>(null);
  // Raw text arrives token by token; it is published once per animation frame.
  const rawBuf = useRef({ text: "", scheduled: false });

  const onEvent = useCallback(
    (e: PredictEvent) => {
      if (e.runId !== current.current?.runId) return;
      switch (e.type) {
        case "start": {
          const predictor: PredictorInfo = { id: e.predictor.id, model: e.predictor.model, label: e.predictor.label };
          setRun((r) => (r && r.runId === e.runId ? { ...r, predictor, settings: e.settings, prompt: e.prompt } : r));
          break;
        }
        case "frame":
          push([e.frame]);
          break;
        case "raw": {
          const buf = rawBuf.current;
          buf.text += e.text;
          if (!buf.scheduled) {
            buf.scheduled = true;
            const runId = e.runId;
            requestAnimationFrame(() => {
              buf.scheduled = false;
              const text = buf.text;
              setRun((r) => (r && r.runId === runId && r.streaming ? { ...r, raw: text } : r));
            });
          }
          break;
        }
        case "end":
          // The resolved promise below carries the assembled prediction (also when the stream is cut).
          break;
      }
    },
    [push],
  );

  const start = useCallback(
    (req: { predictor: string; code: string; call: string; settings?: Partial<SamplingSettings> }) => {
      current.current?.abort.abort();
      const runId = newRunId();
      const abort = new AbortController();
      current.current = { runId, abort };
      reset();
      rawBuf.current = { text: "", scheduled: false };
      setRun({ runId, predictor: null, settings: null, prompt: null, raw: "", final: null, error: null, streaming: true });
      streamPrediction({ runId, predictor: req.predictor, code: req.code, call: req.call || null, settings: req.settings }, onEvent, abort.signal)
        .then((final) => {
          if (current.current?.runId !== runId) return;
          reset(final.frames);
          const failed = final.finish === "error" || final.finish === "stopped";
          setRun((r) =>
            r && r.runId === runId
              ? { ...r, final, raw: final.raw, predictor: final.predictor, settings: final.settings ?? r.settings, streaming: false, error: failed ? (final.message ?? final.finish) : null }
              : r,
          );
        })
        .catch((err: unknown) => {
        if (current.current?.runId !== runId) return;
                const message = abort.signal.aborted ? "stopped by you" : err instanceof Error ? err.message : String(err);
        setRun((r) => (r && r.runId === runId ? { ...r, streaming: false, error: message } : r));
      });
      return runId;
    },
    [onEvent, reset],
  );

  const stop = useCallback(() => current.current?.abort.abort(), []);

  const show = useCallback((p: PredictedTrace) => {
    current.current = null;
    reset(p.frames);
    setRun({ runId: "stored", predictor: p.predictor, settings: p.settings ?? null, prompt: p.prompt ?? null, raw: p.raw, final: p, error: null, streaming: false });
  }, [reset]);

  const clear = useCallback(() => {
    current.current?.abort.abort();
    current.current = null;
    reset();
    setRun(null);
  }, [reset]);

  return { run, frames, start, stop, show, clear };
}
