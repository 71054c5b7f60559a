import { errorResponse } from "@/lib/http/errors";
import { serverPredictors } from "@/lib/predictors/server";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export async function POST(req: Request): Promise<Response> {
  try {
    return await serverPredictors().predict(req);
  } catch (err) {
    return errorResponse(err);
  }
}
