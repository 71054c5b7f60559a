/**
 * What every saved, immutable record (runs, lessons) answers the same way: found by id and
 * cacheable forever, or 404; and 405 for any change, with what to do instead.
 */
import "server-only";
import { AppError, errorResponse } from "@/lib/http/errors";

export type RouteContext = { params: Promise<Record<string, string>> };

/** GET /api/<what>s/<id>: `find` returns the record or null. */
export async function getImmutable(ctx: RouteContext, what: string, find: (id: string) => Promise<unknown>): Promise<Response> {
  try {
    const { id } = await ctx.params;
    const record = await find(id ?? "");
    if (!record) throw new AppError("not_found", `no ${what} with id ${JSON.stringify(String(id).slice(0, 80))}`);
    // Immutable: caches and browsers may keep it as long as they like.
    return Response.json(record, { headers: { "Cache-Control": "public, max-age=31536000, immutable" } });
  } catch (err) {
    return errorResponse(err);
  }
}

/** PUT, PATCH and DELETE on `collection` (e.g. "/api/runs") and its items. */
export function refuseChange(req: Request, collection: string, why: string): Response {
  return errorResponse(
    new AppError("method_not_allowed", `${req.method} is not allowed: ${why}`, {
      Allow: new URL(req.url).pathname.replace(/\/+$/, "") === collection ? "POST" : "GET",
    }),
  );
}
