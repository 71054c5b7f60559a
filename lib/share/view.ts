import "server-only";
import type { Metadata } from "next";
import { getRun } from "@/lib/storage/runs";
import { viewOfStored } from "./preview";
import { sharedRunSummary, type SharedRunView } from "./summary";

/** The stored run as the shared pages show it (its first prediction beside reality). */
export async function loadSharedRun(id: string): Promise<SharedRunView | null> {
  const run = await getRun(id);
  return run ? viewOfStored(run) : null;
}

/**
 * The site's public origin (PUBLIC_ORIGIN) for the absolute Open Graph image URL. Never taken
 * from the request's Host: a client controls it, and the page cache would keep its choice.
 */
function publicOrigin(): URL | null {
  const v = process.env.PUBLIC_ORIGIN;
  if (!v) return null;
  try {
    return new URL(v);
  } catch {
    return null;
  }
}

/** What a link to a shared run shows when pasted into a chat; an embed is not indexed. */
export async function sharedRunMetadata(id: string, kind: "page" | "embed"): Promise<Metadata> {
  const run = await loadSharedRun(id);
  if (!run) return { title: "Run not found · CWM Playground" };
  const { title, description } = sharedRunSummary(run);
  if (kind === "embed") return { title, robots: { index: false } };
  const origin = publicOrigin();
  const images = origin ? [{ url: new URL("/og.png", origin).toString(), width: 1200, height: 630, alt: "CWM Playground: a real trace beside a model's prediction" }] : undefined;
  return {
    title,
    description,
    openGraph: { title, description, type: "article", ...(images ? { images } : {}) },
    twitter: { card: images ? "summary_large_image" : "summary", title, description },
  };
}
