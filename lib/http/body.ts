/**
 * The one JSON body reader of every route. It counts bytes on the stream itself and stops
 * reading at the limit (Content-Length is only a hint: it may be absent, as in a chunked
 * upload, or false), accepts exactly `application/json` (optionally `; charset=utf-8`), strict
 * UTF-8, and text that is valid Unicode: a lone surrogate (`"\ud800"`) cannot be stored or
 * encoded, so it is refused here with a 400 rather than failing later with a 500.
 */
import { AppError } from "./errors";
import { formatBytes } from "./limits";

/**
 * Exactly `application/json`, with at most a UTF-8 charset. Anything else — `text/plain`, and
 * `text/plain; x=application/json`, which a page on another site may send without a preflight
 * — is 415.
 */
export function assertJsonMediaType(req: Request): void {
  const type = req.headers.get("content-type");
  const shown = type === null ? "none" : JSON.stringify(type.slice(0, 100));
  const refuse = () => new AppError("unsupported_media_type", `Content-Type must be application/json (got ${shown})`);
  if (type === null) throw refuse();
  const [mime, ...params] = type.split(";").map((s) => s.trim().toLowerCase());
  if (mime !== "application/json") throw refuse();
  for (const p of params) {
    const m = /^charset=("?)(utf-?8)\1$/.exec(p);
    if (!m) throw new AppError("unsupported_media_type", `Content-Type must be application/json or application/json; charset=utf-8 (got ${shown})`);
  }
}

/** A high surrogate not followed by a low one, or a low one not preceded by a high one. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
/** Cheap pre-check on the raw text: valid UTF-8 cannot encode a surrogate, only `\uD8xx`-style escapes can. */
const SURROGATE_ESCAPE = /\\u[dD][89a-fA-F]/;

export function hasLoneSurrogate(s: string): boolean {
  return LONE_SURROGATE.test(s);
}

function parseJson(text: string): unknown {
  const check = SURROGATE_ESCAPE.test(text);
  try {
    return check
      ? JSON.parse(text, (key, value: unknown) => {
          if (hasLoneSurrogate(key) || (typeof value === "string" && hasLoneSurrogate(value))) {
            const where = /^\d*$/.test(key) ? "" : ` (in "${key.slice(0, 40)}")`;
            throw new AppError("bad_request", `the body contains a lone UTF-16 surrogate${where}: text must be valid Unicode`);
          }
          return value;
        })
      : JSON.parse(text);
  } catch (err) {
    if (err instanceof AppError) throw err;
    throw new AppError("invalid_json", `the body is not valid JSON: ${err instanceof Error ? err.message : String(err)}`);
  }
}

async function readLimited(req: Request, maxBytes: number): Promise<Uint8Array> {
  const tooLarge = () => new AppError("payload_too_large", `the body is larger than ${formatBytes(maxBytes)}`);
  const declared = Number(req.headers.get("content-length") ?? NaN);
  if (Number.isFinite(declared) && declared > maxBytes) throw tooLarge();
  if (!req.body) return new Uint8Array(0);

  const chunks: Uint8Array[] = [];
  let total = 0;
  const reader = req.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      // Stop here: the rest of the upload is never buffered.
      await reader.cancel().catch(() => {});
      throw tooLarge();
    }
    chunks.push(value);
  }
  const bytes = new Uint8Array(total);
  let at = 0;
  for (const c of chunks) {
    bytes.set(c, at);
    at += c.byteLength;
  }
  return bytes;
}

/**
 * The request's JSON body, or an AppError: 415 (media type), 413 (over `maxBytes`, counted on
 * the wire), 400 (empty, not UTF-8, lone surrogate), 400 invalid_json. The caller validates the
 * value with its zod schema.
 */
export async function readJsonBody(req: Request, maxBytes: number): Promise<unknown> {
  assertJsonMediaType(req);
  const bytes = await readLimited(req, maxBytes);
  if (bytes.byteLength === 0) throw new AppError("bad_request", "the body is empty: send JSON");
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    throw new AppError("bad_request", "the body is not valid UTF-8");
  }
  return parseJson(text);
}
