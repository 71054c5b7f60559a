/** Client address and request origin under TRUST_PROXY (lib/http/forwarded.ts, scripts/forwarding.mjs). */
import { describe, expect, it } from "vitest";
import { SOCKET_HEADER, clientAddress, requestOrigin, trustProxy } from "@/lib/http/forwarded";
// @ts-expect-error plain ESM script without types
import { SOCKET_HEADER as SERVER_SOCKET_HEADER, parseTrustProxy, stampRequest } from "../scripts/forwarding.mjs";

const h = (init: Record<string, string>) => new Headers(init);
const req = (url: string, init: Record<string, string>) => new Request(url, { headers: init });

describe("clientAddress", () => {
  it("is the socket address with no trusted proxy, whatever X-Forwarded-For says", () => {
    expect(clientAddress(h({ [SOCKET_HEADER]: "10.1.1.1", "x-forwarded-for": "6.6.6.6" }), 0)).toBe("10.1.1.1");
  });
  it("is the last X-Forwarded-For hop behind one trusted proxy", () => {
    expect(clientAddress(h({ [SOCKET_HEADER]: "10.0.0.1", "x-forwarded-for": "6.6.6.6, 198.51.100.4" }), 1)).toBe("198.51.100.4");
  });
  it("is the hop the outer proxy reported behind two", () => {
    expect(clientAddress(h({ [SOCKET_HEADER]: "10.0.0.1", "x-forwarded-for": "6.6.6.6, 198.51.100.4, 10.0.0.2" }), 2)).toBe("198.51.100.4");
  });
  it("is the socket when a trusted proxy sent no X-Forwarded-For", () => {
    expect(clientAddress(h({ [SOCKET_HEADER]: "10.0.0.1" }), 1)).toBe("10.0.0.1");
  });
  it("is the first hop when the chain is shorter than the proxies configured", () => {
    expect(clientAddress(h({ [SOCKET_HEADER]: "10.0.0.1", "x-forwarded-for": "198.51.100.4" }), 3)).toBe("198.51.100.4");
  });
  it("never reads X-Real-IP", () => {
    expect(clientAddress(h({ "x-real-ip": "6.6.6.6" }), 0)).toBe("unknown");
  });
});

describe("requestOrigin", () => {
  it("ignores X-Forwarded-Host and -Proto with no trusted proxy", () => {
    expect(requestOrigin(req("http://play.test/x", { host: "play.test", "x-forwarded-host": "evil.example", "x-forwarded-proto": "https" }), 0)).toBe(
      "http://play.test",
    );
  });
  it("uses them behind a trusted proxy", () => {
    expect(
      requestOrigin(req("http://10.0.0.5:3000/x", { host: "10.0.0.5:3000", "x-forwarded-host": "play.example.org", "x-forwarded-proto": "https" }), 1),
    ).toBe("https://play.example.org");
  });
  it("takes the value the trusted proxy appended, not one the client wrote before it", () => {
    expect(requestOrigin(req("http://10.0.0.5/x", { "x-forwarded-host": "evil.example, play.example.org" }), 1)).toBe("http://play.example.org");
  });
  it("refuses a host that could add directives to a policy", () => {
    expect(requestOrigin(req("http://play.test/x", { "x-forwarded-host": "evil.org; script-src *" }), 1)).toBe("http://play.test");
    expect(requestOrigin(req("http://play.test/x", { host: "a b" }), 0)).toBe("http://play.test");
  });
  it("keeps a port and an IPv6 literal", () => {
    expect(requestOrigin(req("http://[::1]:3000/x", { host: "[::1]:3000" }), 0)).toBe("http://[::1]:3000");
  });
});

describe("TRUST_PROXY", () => {
  it("defaults to 0 and reads a whole number", () => {
    expect(trustProxy({})).toBe(0);
    expect(trustProxy({ TRUST_PROXY: "" })).toBe(0);
    expect(trustProxy({ TRUST_PROXY: "2" })).toBe(2);
    expect(parseTrustProxy(undefined)).toBe(0);
    expect(parseTrustProxy("1")).toBe(1);
  });
  it("stops with the variable's name on a bad value", () => {
    for (const bad of ["yes", "-1", "1.5", "99"]) {
      expect(() => trustProxy({ TRUST_PROXY: bad })).toThrow(/TRUST_PROXY/);
      expect(() => parseTrustProxy(bad)).toThrow(/TRUST_PROXY/);
    }
  });
});

describe("the production server's stamp (scripts/forwarding.mjs)", () => {
  const nodeReq = (headers: Record<string, string>) => ({ headers: { ...headers }, socket: { remoteAddress: "127.0.0.7" } });
  it("uses the same header name as the routes read", () => expect(SERVER_SOCKET_HEADER).toBe(SOCKET_HEADER));
  it("replaces a client-sent socket address with the real one", () => {
    const r = nodeReq({ [SOCKET_HEADER]: "6.6.6.6" });
    stampRequest(r, 0);
    expect(r.headers[SOCKET_HEADER]).toBe("127.0.0.7");
  });
  it("drops every forwarded header with no trusted proxy", () => {
    const r = nodeReq({
      "x-forwarded-for": "6.6.6.6",
      "x-forwarded-host": "evil",
      "x-forwarded-proto": "https",
      "x-real-ip": "6.6.6.6",
      forwarded: "for=6.6.6.6",
      host: "play.test",
    });
    stampRequest(r, 0);
    expect(r.headers).toEqual({ host: "play.test", [SOCKET_HEADER]: "127.0.0.7" });
  });
  it("keeps them behind a trusted proxy", () => {
    const r = nodeReq({ "x-forwarded-for": "198.51.100.4", "x-forwarded-host": "play.example.org" });
    stampRequest(r, 1);
    expect(r.headers["x-forwarded-for"]).toBe("198.51.100.4");
    expect(r.headers["x-forwarded-host"]).toBe("play.example.org");
  });
});
