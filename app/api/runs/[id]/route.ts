import { runsApi } from "@/lib/storage/runs-api";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

type Ctx = { params: Promise<{ id: string }> };

export const GET = (req: Request, ctx: Ctx) => runsApi().get(req, ctx);
export const PUT = (req: Request) => runsApi().immutable(req);
export const PATCH = (req: Request) => runsApi().immutable(req);
export const DELETE = (req: Request) => runsApi().immutable(req);
