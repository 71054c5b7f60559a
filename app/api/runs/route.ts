import { runsApi } from "@/lib/storage/runs-api";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const POST = (req: Request) => runsApi().post(req);
export const PUT = (req: Request) => runsApi().immutable(req);
export const PATCH = (req: Request) => runsApi().immutable(req);
export const DELETE = (req: Request) => runsApi().immutable(req);
