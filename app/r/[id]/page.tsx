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

export async function generateMetadata({ params }: Params): Promise<Metadata> {
  return sharedRunMetadata((await params).id, "page");
}

export default async function SharedRunPage({ params }: Params) {
  const run = await loadSharedRun((await params).id);
  if (!run) notFound();
  return <SharedRun preview={previewOf(run)} />;
}
