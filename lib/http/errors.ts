/**
 * The one error model used by every route: a code maps to an HTTP status, the message
 * is for people. Routes throw AppError (or let zod errors through) and answer with
 * errorResponse().
 */
import { ZodError } from "zod";

export const ERROR_STATUS = {
  bad_request: 400,
  invalid_json: 400,
  validation: 422,
  not_found: 404,
  method_not_allowed: 405,
  payload_too_large: 413,
  unsupported_media_type: 415,
  rate_limited: 429,
  upstream: 502,
  upstream_timeout: 504,
  unavailable: 503,
  internal: 500,
} as const;
export type ErrorCode = keyof typeof ERROR_STATUS;

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly headers: Record<string, string>;
  constructor(code: ErrorCode, message: string, headers: Record<string, string> = {}) {
    super(message);
    this.code = code;
    this.headers = headers;
  }
  get status(): number {
    return ERROR_STATUS[this.code];
  }
}

export function zodMessage(err: ZodError): string {
  return err.issues
    .slice(0, 5)
    .map((i) => `${i.path.length ? i.path.join(".") : "body"}: ${i.message}`)
    .join("; ");
}

export function toAppError(err: unknown): AppError {
  if (err instanceof AppError) return err;
  if (err instanceof ZodError) return new AppError("validation", zodMessage(err));
  return new AppError("internal", "Internal error");
}

export function errorResponse(err: unknown): Response {
  const e = toAppError(err);
  if (e.code === "internal") console.error(err);
  return Response.json({ error: { code: e.code, message: e.message } }, { status: e.status, headers: e.headers });
}
