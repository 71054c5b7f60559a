// A path that is not valid percent-encoded UTF-8 (`/r/%ZZ`, `/embed/%E0%A4%A`, an encoded lone
// surrogate `%ED%A0%80`) names nothing: it is answered 400 here, before Next, whose dynamic
// routes would otherwise fail to decode it and answer 500.

/** The reason the request target cannot be decoded, or null when it can. */
export function malformedTarget(url) {
  const target = String(url ?? "/");
  const q = target.indexOf("?");
  const path = q === -1 ? target : target.slice(0, q);
  try {
    for (const segment of path.split("/")) decodeURIComponent(segment);
  } catch {
    return "the path is not valid percent-encoded UTF-8";
  }
  if (q !== -1) {
    try {
      decodeURIComponent(target.slice(q + 1).replace(/\+/g, " "));
    } catch {
      return "the query string is not valid percent-encoded UTF-8";
    }
  }
  return null;
}

/** Answers the one error body (lib/http/errors.ts) with a 400. */
export function answerMalformed(req, res, reason) {
  const body = JSON.stringify({ error: { code: "bad_request", message: `${reason}: ${String(req.url).slice(0, 200)}` } });
  res.writeHead(400, {
    "content-type": "application/json; charset=utf-8",
    "content-length": String(Buffer.byteLength(body)),
    "cache-control": "no-store",
    "x-content-type-options": "nosniff",
    "content-security-policy": "default-src 'none'; frame-ancestors 'none'",
    "x-frame-options": "DENY",
  });
  res.end(req.method === "HEAD" ? undefined : body);
}
