import { methodNotAllowed, route } from "@/lib/http/route";
import { liveApi } from "@/lib/live/api";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

type Ctx = { params: Promise<{ id: string }> };

export const GET = route((req: Request, ctx: Ctx) => liveApi().results(req, ctx));
export const POST = methodNotAllowed("GET");
export const PUT = methodNotAllowed("GET");
export const PATCH = methodNotAllowed("GET");
export const DELETE = methodNotAllowed("GET");
