import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { SharedRun } from "@/components/SharedRun";
import { previewOf } from "@/lib/share/preview";
import { loadSharedRun, sharedRunMetadata } from "@/lib/share/view";

export const runtime = "nodejs";
// Rendered on each request that reaches Next, never written to Next's on-disk cache (an
// unknown id must not leave files behind). scripts/serve.mjs keeps found pages in its
// in-memory cache, bounded in bytes, so a class opening the same link costs one render.
export const dynamic = "force-dynamic";

type Params = { params: Promise<{ id: string }> };
type Search = { searchParams: Promise<Record<string, string | string[] | undefined>> };

/** Embed options: `?step=N` opens at step N (1-based); `?view=full` shows the editor and locals, compact is the default. */
function embedOptions(q: Record<string, string | string[] | undefined>): { startStep: number; compact: boolean } {
  const one = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v);
  const step = Number(one(q.step));
  return { startStep: Number.isInteger(step) && step >= 1 && step <= 1_000_000 ? step : 1, compact: one(q.view) !== "full" };
}

export async function generateMetadata({ params }: Params): Promise<Metadata> {
  return sharedRunMetadata((await params).id, "embed");
}

/** A compact, read-only view for an <iframe> in a course page. */
export default async function EmbedPage({ params, searchParams }: Params & Search) {
  const run = await loadSharedRun((await params).id);
  if (!run) notFound();
  const { startStep, compact } = embedOptions(await searchParams);
  return <SharedRun preview={previewOf(run)} compact={compact} startStep={startStep} />;
}
