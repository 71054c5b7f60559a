import { workerResponse } from "@/lib/executor/worker-response";

// Read at request time: the bundle is produced by scripts/prepare-assets.mjs, not by next build.
export const dynamic = "force-dynamic";
export const runtime = "nodejs";

export async function GET(req: Request, ctx: { params: Promise<{ file: string }> }): Promise<Response> {
  const { file } = await ctx.params;
  return workerResponse(req, file);
}
