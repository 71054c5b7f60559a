"use client";
import { useQuery } from "@tanstack/react-query";
import { fetchJson } from "@/lib/http/client";
import { StoredLesson } from "@/lib/storage/lesson-schema";
import { StoredRun } from "@/lib/storage/schema";

// Runs and lessons never change once stored: fetched once per page, never refetched.

/** GET /api/runs/<id>. */
export function useStoredRun(id: string, enabled = true) {
  return useQuery({
    queryKey: ["run", id],
    queryFn: ({ signal }) => fetchJson(`/api/runs/${encodeURIComponent(id)}`, { signal }, StoredRun),
    enabled,
    staleTime: Infinity,
  });
}

/** GET /api/lessons/<id>, each slide's run inlined. */
export function useStoredLesson(id: string, enabled = true) {
  return useQuery({
    queryKey: ["lesson", id],
    queryFn: ({ signal }) => fetchJson(`/api/lessons/${encodeURIComponent(id)}`, { signal }, StoredLesson),
    enabled,
    staleTime: Infinity,
  });
}
