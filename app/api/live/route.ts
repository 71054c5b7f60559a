import { methodNotAllowed, route } from "@/lib/http/route";
import { liveApi } from "@/lib/live/api";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const POST = route((req: Request) => liveApi().create(req));
// Sessions are found by their id or join code only: there is no listing.
export const GET = methodNotAllowed("POST");
export const PUT = methodNotAllowed("POST");
export const PATCH = methodNotAllowed("POST");
export const DELETE = methodNotAllowed("POST");
