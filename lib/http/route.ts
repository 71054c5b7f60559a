/**
 * The wrapper every route handler goes through: state-changing methods are refused when another
 * site sent them (csrf.ts), and anything thrown becomes the one error answer (errors.ts).
 */
import "server-only";
import { assertSameOrigin } from "./csrf";
import { AppError, errorResponse } from "./errors";

type Handler<C> = (req: Request, ctx: C) => Promise<Response> | Response;

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

export function route<C = unknown>(handler: Handler<C>): (req: Request, ctx: C) => Promise<Response> {
  return async (req, ctx) => {
    try {
      if (!SAFE_METHODS.has(req.method)) assertSameOrigin(req);
      return await handler(req, ctx);
    } catch (err) {
      return errorResponse(err);
    }
  };
}

/** A handler for the methods a route does not serve: 405 through the error model, with Allow. */
export function methodNotAllowed(allow: string): (req: Request) => Response {
  return (req) => errorResponse(new AppError("method_not_allowed", `${req.method} is not allowed here (allowed: ${allow})`, { Allow: allow }));
}
