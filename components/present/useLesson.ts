"use client";
import { useQuery } from "@tanstack/react-query";
import { fetchJson } from "@/lib/http/client";
import { StoredLesson } from "@/lib/storage/lesson-schema";

/**
 * The lesson with its runs, fetched after the page opens rather than rendered into it: the
 * answers then are nowhere in the page's markup until a beat reveals them.
 */
export function useLesson(id: string) {
  return useQuery({
    queryKey: ["lesson", id],
    queryFn: ({ signal }) => fetchJson(`/api/lessons/${encodeURIComponent(id)}`, { signal }, StoredLesson),
    staleTime: Infinity,
  });
}
