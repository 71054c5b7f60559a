import { methodNotAllowed, route } from "@/lib/http/route";
import { liveApi } from "@/lib/live/api";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const POST = route((req: Request) => liveApi().join(req));
export const GET = methodNotAllowed("POST");
export const PUT = methodNotAllowed("POST");
export const PATCH = methodNotAllowed("POST");
export const DELETE = methodNotAllowed("POST");
