/**
 * Earlier drafts: picking an example or forking a shared run never silently destroys the
 * user's own code. The replaced draft is kept here (newest first, bounded) and can be restored.
 */
import { z } from "zod";
import { Draft } from "./draft";

export const SavedDraft = Draft.extend({ savedAt: z.string() }).strict();
export type SavedDraft = z.infer<typeof SavedDraft>;

const KEY = "cwm-playground:drafts:v1";
export const MAX_SAVED_DRAFTS = 10;

export function loadSavedDrafts(storage: Pick<Storage, "getItem"> | undefined): SavedDraft[] {
  try {
    const raw = storage?.getItem(KEY);
    if (!raw) return [];
    const parsed = z.array(SavedDraft).safeParse(JSON.parse(raw));
    return parsed.success ? parsed.data : [];
  } catch {
    return [];
  }
}

/** The list with `draft` saved first; an identical earlier copy moves to the front instead of repeating. */
export function withSavedDraft(list: readonly SavedDraft[], draft: Draft, now: Date): SavedDraft[] {
  const rest = list.filter((d) => d.code !== draft.code || d.call !== draft.call);
  return [{ ...draft, savedAt: now.toISOString() }, ...rest].slice(0, MAX_SAVED_DRAFTS);
}

export function storeSavedDrafts(storage: Pick<Storage, "setItem"> | undefined, list: readonly SavedDraft[]): void {
  try {
    storage?.setItem(KEY, JSON.stringify(list));
  } catch {
    // Storage full or disabled: the history is kept for this tab only.
  }
}

/** Whether replacing `current` would lose the user's own work. */
export function worthSaving(current: Draft, exampleCode: string | null, next: Draft): boolean {
  if (current.code.trim() === "" && current.call.trim() === "") return false;
  if (current.code === next.code && current.call === next.call) return false;
  return exampleCode === null || exampleCode !== current.code;
}
