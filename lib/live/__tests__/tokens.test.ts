import { describe, expect, it } from "vitest";
import { CODE_ALPHABET, CODE_LENGTH } from "../protocol";
import { hashMatches, hashToken, newJoinCode, newSessionId, newToken } from "../tokens";

describe("live tokens and codes", () => {
  it("a token carries at least 128 random bits in base64url", () => {
    const t = newToken();
    expect(t).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(Buffer.from(t, "base64url").length * 8).toBeGreaterThanOrEqual(128);
  });
  it("tokens do not repeat", () => {
    expect(new Set(Array.from({ length: 1000 }, newToken)).size).toBe(1000);
  });
  it("only the hash is kept, and the token matches its own hash alone", () => {
    const t = newToken();
    const h = hashToken(t);
    expect(h).not.toContain(t);
    expect(hashMatches(hashToken(t), h)).toBe(true);
    expect(hashMatches(hashToken(newToken()), h)).toBe(false);
    expect(hashMatches(hashToken(t.slice(0, -1)), h)).toBe(false);
  });
  it("a stored hash of another length never matches (and does not throw)", () => {
    expect(hashMatches(hashToken(newToken()), "short")).toBe(false);
  });
  it("join codes use only the look-alike-free alphabet", () => {
    for (let i = 0; i < 500; i++) {
      const c = newJoinCode();
      expect(c).toHaveLength(CODE_LENGTH);
      for (const ch of c) expect(CODE_ALPHABET).toContain(ch);
    }
    expect(CODE_ALPHABET).not.toMatch(/[0O1IL]/);
  });
  it("session ids look like run ids (96 bits, 16 characters)", () => {
    expect(newSessionId()).toMatch(/^[A-Za-z0-9_-]{16}$/);
  });
});
