"use client";
import { useSyncExternalStore } from "react";
import { QrCode } from "@/components/classroom/QrCode";

const noSubscribe = () => () => {};

/** This page's origin in the browser; null while rendering on the server (the QR code waits for it). */
function useOrigin(): string | null {
  return useSyncExternalStore(
    noSubscribe,
    () => window.location.origin,
    () => null,
  );
}

/** The lesson's title and how to follow along: a QR code and the link in large type, both made here. */
export function TitleSlide({ id, title, slideCount }: { id: string; title: string; slideCount: number }) {
  const origin = useOrigin();
  const path = `/l/${id}`;
  const url = origin ? `${origin}${path}` : null;
  const shown = url ? url.replace(/^https?:\/\//, "") : path;
  return (
    <div className="flex h-full items-center justify-center gap-12 p-8" data-testid="title-slide">
      <div className="min-w-0 max-w-[60%] space-y-6">
        <h2 className="text-5xl leading-tight font-bold break-words">{title}</h2>
        <p className="text-2xl">Follow along on your phone: scan the code or open</p>
        <p className="font-code text-4xl font-semibold break-all">
          <a href={path} className="underline decoration-2 underline-offset-4" data-testid="lesson-link">
            {shown}
          </a>
        </p>
        <p className="text-xl text-slate-700 dark:text-slate-300">
          {slideCount} {slideCount === 1 ? "program" : "programs"} · press → or PageDown to start
        </p>
      </div>
      {url && <QrCode text={url} label={`QR code of the lesson's link, ${url}`} size={320} />}
    </div>
  );
}
