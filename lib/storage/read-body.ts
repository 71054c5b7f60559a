/**
 * Reads a JSON request body with a byte limit counted on the stream itself (Content-Length
 * is only a hint and may be absent or false), strict UTF-8, and a clear error for each way
 * it can be wrong.
 */
import { AppError } from "@/lib/http/errors";

function mib(n: number): string {
  return `${(n / (1024 * 1024)).toFixed(n % (1024 * 1024) === 0 ? 0 : 1)} MiB`;
}

export async function readJsonBody(req: Request, maxBytes: number): Promise<unknown> {
  const type = req.headers.get("content-type") ?? "";
  const [mime, ...params] = type.split(";").map((s) => s.trim().toLowerCase());
  if (mime !== "application/json") {
    throw new AppError("unsupported_media_type", `Content-Type must be application/json (got ${type ? JSON.stringify(type) : "none"})`);
  }
  const charset = params.find((p) => p.startsWith("charset="))?.slice("charset=".length).replace(/"/g, "");
  if (charset && charset !== "utf-8" && charset !== "utf8") {
    throw new AppError("unsupported_media_type", `the body must be UTF-8 (got charset=${charset})`);
  }
  const declared = Number(req.headers.get("content-length") ?? NaN);
  if (Number.isFinite(declared) && declared > maxBytes) {
    throw new AppError("payload_too_large", `the body is larger than ${mib(maxBytes)}`);
  }
  if (!req.body) throw new AppError("bad_request", "the body is empty: send the run as JSON");

  const chunks: Uint8Array[] = [];
  let total = 0;
  const reader = req.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel().catch(() => {});
      throw new AppError("payload_too_large", `the body is larger than ${mib(maxBytes)}`);
    }
    chunks.push(value);
  }
  if (total === 0) throw new AppError("bad_request", "the body is empty: send the run as JSON");

  const bytes = new Uint8Array(total);
  let at = 0;
  for (const c of chunks) {
    bytes.set(c, at);
    at += c.byteLength;
  }
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    throw new AppError("bad_request", "the body is not valid UTF-8");
  }
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new AppError("invalid_json", `the body is not valid JSON: ${err instanceof Error ? err.message : String(err)}`);
  }
}
