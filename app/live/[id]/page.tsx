import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { StudentLive } from "@/components/live/StudentLive";
import { LiveSessionId } from "@/lib/live/protocol";

export const metadata: Metadata = { title: "Live class · CWM Playground" };
// Nothing of the session is rendered on the server: the page reads it from the event stream
// with the participant's cookie, so no cached page ever holds a question or an answer.
export const dynamic = "force-dynamic";

type Props = { params: Promise<{ id: string }> };

export default async function LivePage({ params }: Props) {
  const id = LiveSessionId.safeParse((await params).id);
  if (!id.success) notFound();
  return <StudentLive sessionId={id.data} />;
}
