import { describe, expect, it } from "vitest";
import { databaseKind, storageEnv } from "@/lib/config/storage";

describe("storage configuration", () => {
  it("defaults to the SQLite file data/playground.db and 30 saves a minute", () => {
    expect(storageEnv({})).toEqual({ DATABASE_URL: "file:./data/playground.db", RUNS_RATE_LIMIT: 30, PREDICTION_CACHE_MAX_ENTRIES: 5000 });
    expect(storageEnv({ DATABASE_URL: " ", RUNS_RATE_LIMIT: "" })).toEqual({ DATABASE_URL: "file:./data/playground.db", RUNS_RATE_LIMIT: 30, PREDICTION_CACHE_MAX_ENTRIES: 5000 });
  });

  it("accepts PostgreSQL URLs in both spellings", () => {
    for (const u of ["postgres://u:p@db:5432/cwm", "postgresql://db/cwm?sslmode=require"]) {
      expect(storageEnv({ DATABASE_URL: u }).DATABASE_URL).toBe(u);
      expect(databaseKind(u)).toBe("postgres");
    }
    expect(databaseKind("file:/tmp/x.db")).toBe("sqlite");
  });

  it("names the variable when a value is wrong", () => {
    expect(() => storageEnv({ DATABASE_URL: "mysql://db/cwm" })).toThrow(/DATABASE_URL/);
    expect(() => storageEnv({ RUNS_RATE_LIMIT: "-1" })).toThrow(/RUNS_RATE_LIMIT/);
    expect(() => storageEnv({ RUNS_RATE_LIMIT: "lots" })).toThrow(/RUNS_RATE_LIMIT/);
  });
});
