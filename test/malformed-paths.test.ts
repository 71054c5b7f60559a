/**
 * A request target that is not valid percent-encoded UTF-8 is answered 400 with a message by
 * the production server's first step (scripts/bad-path.mjs), before any route or page can
 * fail to decode it. The harness runs that same step; e2e/server-hardening.spec.ts checks
 * the built app.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { serveRoutes } from "@/test/http-harness";
import * as item from "@/app/api/runs/[id]/route";
import { ErrorBody } from "@/lib/http/errors";
// @ts-expect-error plain ESM script without types
import { malformedTarget } from "../scripts/bad-path.mjs";

let base: string;
let close: () => Promise<void>;

beforeAll(async () => {
  ({ url: base, close } = await serveRoutes({
    "GET /api/runs/:id": (req, ctx) => item.GET(req, { params: ctx.params.then((p) => ({ id: p.id })) }),
  }));
});
afterAll(() => close());

const MALFORMED = ["/r/%ZZ", "/embed/%E0%A4%A", "/api/runs/%E0%A4%A", "/api/runs/%", "/r/%ED%A0%80", "/embed/a%C3", "/api/runs/AAAAAAAAAAAAAAAA?x=%E0%A4%A"];

describe("malformed percent-encoding", () => {
  for (const target of MALFORMED) {
    it(`answers 400 with a message to ${target}`, async () => {
      const res = await fetch(`${base}${target}`);
      expect(res.status).toBe(400);
      const { error } = ErrorBody.parse(await res.json());
      expect(error).toMatchObject({ code: "bad_request", message: expect.stringMatching(/percent-encoded UTF-8/) });
    });
  }

  it("lets well-formed encodings through to the route", async () => {
    expect((await fetch(`${base}/api/runs/sh%6Frt`)).status).toBe(404);
    expect(malformedTarget("/r/caf%C3%A9?q=%F0%9F%98%80+x")).toBeNull();
    expect(malformedTarget("/")).toBeNull();
  });
});
