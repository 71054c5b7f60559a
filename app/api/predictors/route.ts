import { errorResponse } from "@/lib/http/errors";
import { serverPredictors } from "@/lib/predictors/server";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export async function GET(req: Request): Promise<Response> {
  try {
    return await serverPredictors().list(req);
  } catch (err) {
    return errorResponse(err);
  }
}
