import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { SharedRun } from "@/components/SharedRun";
import { loadSharedRun, sharedRunMetadata } from "@/lib/share/view";

export const runtime = "nodejs";
// Runs never change: each page is rendered on its first request and then served from Next's
// cache (no revalidation), so a class opening the same link costs one render.
export const revalidate = false;
export const dynamicParams = true;
export function generateStaticParams(): Array<{ id: string }> {
  return [];
}

type Params = { params: Promise<{ id: string }> };

export async function generateMetadata({ params }: Params): Promise<Metadata> {
  return sharedRunMetadata((await params).id, "embed");
}

/** A compact, read-only view for an <iframe> in a course page. */
export default async function EmbedPage({ params }: Params) {
  const run = await loadSharedRun((await params).id);
  if (!run) notFound();
  return <SharedRun run={run} compact />;
}
