import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { cache } from "react";
import { StudyLesson } from "@/components/study/StudyLesson";
import { getLesson } from "@/lib/storage/lessons";

export const runtime = "nodejs";
// Rendered on each request, never written to Next's on-disk cache (an unknown id must leave nothing behind).
export const dynamic = "force-dynamic";

type Params = { params: Promise<{ id: string }> };

// The metadata and the page ask for the same lesson: one database read per request.
const load = cache(getLesson);

export async function generateMetadata({ params }: Params): Promise<Metadata> {
  const lesson = await load((await params).id);
  return { title: lesson ? `${lesson.title} · Predict it yourself · CWM Playground` : "Lesson not found · CWM Playground" };
}

export default async function LessonPage({ params }: Params) {
  const lesson = await load((await params).id);
  if (!lesson) notFound();
  return <StudyLesson lesson={lesson} />;
}
