import { methodNotAllowed, route } from "@/lib/http/route";
import { liveApi } from "@/lib/live/api";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

type Ctx = { params: Promise<{ id: string }> };

export const POST = route((req: Request, ctx: Ctx) => liveApi().answer(req, ctx));
export const GET = methodNotAllowed("POST");
export const PUT = methodNotAllowed("POST");
export const PATCH = methodNotAllowed("POST");
export const DELETE = methodNotAllowed("POST");
