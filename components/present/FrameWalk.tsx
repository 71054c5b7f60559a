"use client";
import { useId } from "react";
import type { Frame } from "@/lib/trace/schema";

/**
 * "Walk the run": the teacher jumps to any frame of the real trace (a slider, or its arrow keys),
 * and the slide shows that frame's line and reality's locals. Offered on a slide's code beat
 * only, behind a button that says it reveals reality: the question beats never show a value
 * before its reveal.
 */
export function FrameWalk({ frames, frame, onFrame }: { frames: readonly Frame[]; frame: number | null; onFrame: (k: number | null) => void }) {
  const id = useId();
  if (frames.length === 0) return null;
  if (frame === null) {
    return (
      <button type="button" className="min-h-11 self-start rounded border border-slate-500 px-3 text-lg" onClick={() => onFrame(0)}>
        Walk the run (shows reality)
      </button>
    );
  }
  const f = frames[Math.min(frame, frames.length - 1)];
  const locals = Object.entries(f.locals ?? {});
  return (
    <section aria-label="Walk the run" className="flex flex-col gap-2" data-testid="frame-walk">
      <label htmlFor={id} className="text-xl font-semibold">
        Frame {frame + 1} of {frames.length} · {f.event}
        {f.line !== null ? ` · line ${f.line}` : ""}
      </label>
      <input
        id={id}
        type="range"
        min={0}
        max={frames.length - 1}
        value={frame}
        onChange={(e) => onFrame(Number(e.target.value))}
        className="min-h-11 w-full"
        aria-valuetext={`frame ${frame + 1} of ${frames.length}${f.line !== null ? `, line ${f.line}` : ""}`}
      />
      {f.event === "return" || f.event === "exception" ? (
        <p className="font-code text-xl break-all">
          {f.event === "return" ? "returns " : "raises "}
          {f.value ?? ""}
        </p>
      ) : locals.length > 0 ? (
        <dl className="font-code grid grid-cols-[auto_minmax(0,1fr)] gap-x-3 text-xl" data-testid="frame-walk-locals">
          {locals.map(([name, value]) => (
            <div key={name} className="contents">
              <dt className="font-semibold">{name}</dt>
              <dd className="break-all">{value}</dd>
            </div>
          ))}
        </dl>
      ) : (
        <p className="text-lg">No locals yet.</p>
      )}
      <button type="button" className="min-h-11 self-start rounded border border-slate-500 px-3" onClick={() => onFrame(null)}>
        Stop walking
      </button>
    </section>
  );
}
