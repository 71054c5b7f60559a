/** The editor draft (code + call): kept in local storage and shareable through the URL hash. */
import { z } from "zod";
import { LIMITS, utf8Bytes } from "@/lib/http/limits";

/** The same byte limits as the server's, so a draft that loads is one the server accepts. */
export const Draft = z
  .object({
    code: z.string().refine((s) => utf8Bytes(s) <= LIMITS.code, `code is larger than ${LIMITS.code} bytes`),
    call: z.string().refine((s) => utf8Bytes(s) <= LIMITS.call, `call is larger than ${LIMITS.call} bytes`),
  })
  .strict();
export type Draft = z.infer<typeof Draft>;

const KEY = "cwm-playground:draft:v1";

export function loadDraft(storage: Pick<Storage, "getItem"> | undefined): Draft | null {
  try {
    const raw = storage?.getItem(KEY);
    if (!raw) return null;
    const parsed = Draft.safeParse(JSON.parse(raw));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

export function saveDraft(storage: Pick<Storage, "setItem"> | undefined, draft: Draft): void {
  try {
    storage?.setItem(KEY, JSON.stringify(draft));
  } catch {
    // Storage full or disabled (private mode): the draft simply is not kept.
  }
}

function toBase64Url(text: string): string {
  const bytes = new TextEncoder().encode(text);
  let bin = "";
  for (const b of bytes) bin += String.fromCharCode(b);
  return btoa(bin).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

function fromBase64Url(text: string): string {
  const bin = atob(text.replace(/-/g, "+").replace(/_/g, "/"));
  return new TextDecoder("utf-8", { fatal: true }).decode(Uint8Array.from(bin, (c) => c.charCodeAt(0)));
}

/** `#code=<base64url>&call=<base64url>`: links from benchmark reports and "Fork" land here. */
export function draftToHash(d: Draft): string {
  return `#code=${toBase64Url(d.code)}&call=${toBase64Url(d.call)}`;
}

export function draftFromHash(hash: string): Draft | null {
  const params = new URLSearchParams(hash.replace(/^#/, ""));
  const code = params.get("code");
  if (code === null) return null;
  try {
    const parsed = Draft.safeParse({ code: fromBase64Url(code), call: fromBase64Url(params.get("call") ?? "") });
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}
