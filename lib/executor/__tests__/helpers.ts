/** Shared helpers for executor tests: data location and a compact, reviewable frame notation. */
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { CanonicalTrace, Frame } from "@/lib/trace/schema";

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../..");
export { SHARED_DATA as sharedData } from "@/test/shared-data";

/** `event@line source | {locals}` or `event@line source -> value`: one frame per string. */
export function compact(f: Frame): string {
  const tail = f.locals !== undefined ? ` | ${JSON.stringify(f.locals)}` : ` -> ${f.value}`;
  return `${f.event}@${f.line} ${f.source}${tail}`;
}

export function frames(t: CanonicalTrace): string[] {
  return t.frames.map(compact);
}
