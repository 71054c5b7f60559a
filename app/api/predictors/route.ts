import { methodNotAllowed, route } from "@/lib/http/route";
import { serverPredictors } from "@/lib/predictors/server";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const GET = route((req: Request) => serverPredictors().list(req));
export const POST = methodNotAllowed("GET");
