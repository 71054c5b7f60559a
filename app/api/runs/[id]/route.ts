import { route } from "@/lib/http/route";
import { runsApi } from "@/lib/storage/runs-api";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

type Ctx = { params: Promise<{ id: string }> };

export const GET = route((req: Request, ctx: Ctx) => runsApi().get(req, ctx));
export const PUT = route((req: Request) => runsApi().immutable(req));
export const PATCH = route((req: Request) => runsApi().immutable(req));
export const DELETE = route((req: Request) => runsApi().immutable(req));
