// What the production server does to each request before Next sees it: the socket's peer
// address goes into an internal header (route handlers cannot see the socket), after any copy
// the client sent is deleted; and with no trusted proxy (TRUST_PROXY unset or 0) the client's
// X-Forwarded-* headers are dropped, so Next fills them in from the socket and the Host header.
// lib/http/forwarded.ts reads the result.

export const SOCKET_HEADER = "x-cwm-socket-address";
const FORWARDED = ["x-forwarded-for", "x-forwarded-host", "x-forwarded-proto", "x-forwarded-port", "x-real-ip", "forwarded"];

/** TRUST_PROXY as a number of proxies; a bad value stops the server with its name. */
export function parseTrustProxy(value) {
  if (value === undefined || String(value).trim() === "") return 0;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 10) throw new Error(`TRUST_PROXY must be a whole number of proxies from 0 to 10 (got ${JSON.stringify(value)})`);
  return n;
}

/** Mutates the Node request's headers in place (Next reads `req.headers`). */
export function stampRequest(req, trustProxy) {
  delete req.headers[SOCKET_HEADER];
  if (trustProxy === 0) for (const h of FORWARDED) delete req.headers[h];
  const address = req.socket?.remoteAddress;
  if (address) req.headers[SOCKET_HEADER] = address;
}
