/**
 * The browser's side of the error model: one fetch helper that answers the parsed body on
 * success and throws the same AppError the route threw otherwise (decoded from
 * `{ error: { code, message } }`), so React Query's `error` is always an AppError.
 */
import type { z } from "zod";
import { AppError, ErrorBody, ErrorCode, codeForStatus, zodMessage } from "./errors";

/** The AppError of a non-2xx answer: its own code and message, or one made from the status. */
export async function errorFromResponse(res: Response): Promise<AppError> {
  const retryAfter = res.headers.get("retry-after");
  const headers: Record<string, string> = retryAfter ? { "Retry-After": retryAfter } : {};
  const text = await res.text().catch(() => "");
  let parsed: ErrorBody | null = null;
  try {
    const r = ErrorBody.safeParse(JSON.parse(text));
    parsed = r.success ? r.data : null;
  } catch {
    parsed = null;
  }
  if (parsed) {
    const code = ErrorCode.safeParse(parsed.error.code);
    return new AppError(code.success ? code.data : codeForStatus(res.status), parsed.error.message, headers);
  }
  return new AppError(codeForStatus(res.status), `the server answered ${res.status}${res.statusText ? ` ${res.statusText}` : ""}`, headers);
}

/** A request was made but never answered (offline, DNS, connection reset), or was aborted. */
function networkError(err: unknown): Error {
  if (err instanceof DOMException && err.name === "AbortError") return err;
  return new AppError("unavailable", `could not reach the server: ${err instanceof Error ? err.message : String(err)}`);
}

/**
 * fetch + JSON + zod. Sends `body` (any JSON value) as `application/json` when given. Throws
 * AppError for an error answer, an answer that does not match `schema` (`internal`), or no
 * answer; rethrows an AbortError unchanged so callers can tell a cancel from a failure.
 */
export async function fetchJson<S extends z.ZodType>(url: string, init: Omit<RequestInit, "body"> & { json?: unknown }, schema: S): Promise<z.infer<S>> {
  const { json, ...rest } = init;
  const headers = new Headers(rest.headers);
  headers.set("accept", "application/json");
  if (json !== undefined) headers.set("content-type", "application/json");
  let res: Response;
  try {
    res = await fetch(url, { ...rest, headers, ...(json !== undefined ? { body: JSON.stringify(json) } : {}) });
  } catch (err) {
    throw networkError(err);
  }
  if (!res.ok) throw await errorFromResponse(res);
  let value: unknown;
  try {
    value = await res.json();
  } catch {
    throw new AppError("internal", `the server's answer to ${url} is not JSON`);
  }
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw new AppError("internal", `unexpected answer from ${url}: ${zodMessage(parsed.error)}`);
  return parsed.data;
}
