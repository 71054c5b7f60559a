import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { PresenterView } from "@/components/present/PresenterView";
import { cache } from "react";
import { getLesson } from "@/lib/storage/lessons";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

type Params = { params: Promise<{ id: string }> };

/**
 * The title and each slide's number of questions (the deck's shape) only: the runs, and with
 * them the answers, are fetched after the page opens, so no answer is in the markup before its
 * reveal. cache(): metadata and page share one load per request.
 */
const loadDeck = cache(async (id: string) => {
  const lesson = await getLesson(id);
  return lesson ? { id: lesson.id, title: lesson.title, shape: lesson.slides.map((s) => s.questions.length) } : null;
});

export async function generateMetadata({ params }: Params): Promise<Metadata> {
  const deck = await loadDeck((await params).id);
  return { title: deck ? `${deck.title} · presenter view · CWM Playground` : "Lesson not found · CWM Playground", robots: { index: false } };
}

export default async function PresenterPage({ params }: Params) {
  const deck = await loadDeck((await params).id);
  if (!deck) notFound();
  return <PresenterView id={deck.id} title={deck.title} shape={deck.shape} />;
}
