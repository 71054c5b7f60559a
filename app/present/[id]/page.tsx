import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { Projector } from "@/components/present/Projector";
import { cache } from "react";
import { getLessonDeck } from "@/lib/storage/lessons";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

type Params = { params: Promise<{ id: string }> };

// Metadata and page share one load per request.
const loadDeck = cache(getLessonDeck);

export async function generateMetadata({ params }: Params): Promise<Metadata> {
  const deck = await loadDeck((await params).id);
  return { title: deck ? `${deck.title} · presentation · CWM Playground` : "Lesson not found · CWM Playground", robots: { index: false } };
}

export default async function PresentPage({ params }: Params) {
  const deck = await loadDeck((await params).id);
  if (!deck) notFound();
  return <Projector id={deck.id} title={deck.title} shape={deck.shape} />;
}
