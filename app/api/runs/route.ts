import { methodNotAllowed, route } from "@/lib/http/route";
import { runsApi } from "@/lib/storage/runs-api";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const POST = route((req: Request) => runsApi().post(req));
export const PUT = route((req: Request) => runsApi().immutable(req));
export const PATCH = route((req: Request) => runsApi().immutable(req));
export const DELETE = route((req: Request) => runsApi().immutable(req));
// Runs are found by their id only: there is no listing.
export const GET = methodNotAllowed("POST");
