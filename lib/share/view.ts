import "server-only";
import { getRun } from "@/lib/storage/runs";
import type { SharedRunView } from "./summary";

export { sharedRunSummary } from "./summary";

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
