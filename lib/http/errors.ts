/**
 * The one error model, shared by the server and the browser (no server imports here): a code
 * maps to an HTTP status, the message is for people. Routes throw AppError (or let zod errors
 * through) and answer with errorResponse(); the browser decodes the same body back into an
 * AppError (lib/http/client.ts), so both sides branch on `code`, never on message text.
 */
import { z, ZodError } from "zod";

export const ERROR_STATUS = {
  bad_request: 400,
  invalid_json: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  method_not_allowed: 405,
  conflict: 409,
  gone: 410,
  payload_too_large: 413,
  unsupported_media_type: 415,
  validation: 422,
  rate_limited: 429,
  internal: 500,
  upstream: 502,
  unavailable: 503,
  upstream_timeout: 504,
} as const;
export type ErrorCode = keyof typeof ERROR_STATUS;
export const ErrorCode = z.enum(Object.keys(ERROR_STATUS) as [ErrorCode, ...ErrorCode[]]);

/** The body of every error answer: `{ "error": { "code": "…", "message": "…" } }`. */
export const ErrorBody = z.object({ error: z.object({ code: z.string(), message: z.string() }) });
export type ErrorBody = z.infer<typeof ErrorBody>;

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly headers: Record<string, string>;
  constructor(code: ErrorCode, message: string, headers: Record<string, string> = {}) {
    super(message);
    this.name = "AppError";
    this.code = code;
    this.headers = headers;
  }
  get status(): number {
    return ERROR_STATUS[this.code];
  }
}

/** The code for a status without a known code in its body (a proxy's 502 page, say). */
export function codeForStatus(status: number): ErrorCode {
  const exact = (Object.keys(ERROR_STATUS) as ErrorCode[]).find((c) => ERROR_STATUS[c] === status && c !== "invalid_json");
  if (exact) return exact;
  return status >= 500 ? "internal" : "bad_request";
}

/**
 * The one zod-issue formatter: `path: message` for the first five issues; `root` names what
 * was parsed when an issue is about the whole value (`body`, `TRUST_PROXY`).
 */
export function zodMessage(err: ZodError, root = "body"): string {
  const shown = err.issues.slice(0, 5).map((i) => `${i.path.length ? i.path.map(String).join(".") : root}: ${i.message}`);
  const more = err.issues.length - shown.length;
  return shown.join("; ") + (more > 0 ? `; and ${more} more` : "");
}

export function toAppError(err: unknown): AppError {
  if (err instanceof AppError) return err;
  if (err instanceof ZodError) return new AppError("validation", zodMessage(err));
  return new AppError("internal", "Internal error");
}

export function errorBody(e: AppError): ErrorBody {
  return { error: { code: e.code, message: e.message } };
}

export function errorResponse(err: unknown): Response {
  const e = toAppError(err);
  if (e.code === "internal") console.error(err);
  return Response.json(errorBody(e), { status: e.status, headers: e.headers });
}
