import type { Metadata } from "next";
import { LessonEditor } from "@/components/lesson-editor/LessonEditor";

export const metadata: Metadata = { title: "Lesson editor · CWM Playground" };

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

/** The draft lives in the browser; the server only passes on which lesson to fork, if any. */
export default async function NewLessonPage({ searchParams }: Props) {
  const raw = (await searchParams).fork;
  const fork = typeof raw === "string" ? raw : null;
  return <LessonEditor fork={fork} />;
}
