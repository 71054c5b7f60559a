import "server-only";
import type { Metadata } from "next";
import { getRun } from "@/lib/storage/runs";
import { sharedRunSummary, type SharedRunView } from "./summary";


/** The stored run as the shared pages show it (its first prediction beside reality). */
export async function loadSharedRun(id: string): Promise<SharedRunView | null> {
  const run = await getRun(id);
  if (!run) return null;
  return {
    id: run.id,
    createdAt: run.createdAt,
    title: run.title,
    code: run.code,
    call: run.call ?? "",
    actual: run.actual,
    prediction: run.predictions[0] ?? null,
  };
}

/** What a link to a shared run shows when pasted into a chat; an embed is not indexed. */
export async function sharedRunMetadata(id: string, kind: "page" | "embed"): Promise<Metadata> {
  const run = await loadSharedRun(id);
  if (!run) return { title: "Run not found · CWM Playground" };
  const { title, description } = sharedRunSummary(run);
  if (kind === "embed") return { title, robots: { index: false } };
  return { title, description, openGraph: { title, description, type: "article" }, twitter: { card: "summary", title, description } };
}
