import type { Metadata } from "next";
import { JoinForm } from "@/components/live/JoinForm";
import { cleanCode } from "@/lib/live/client/join-code";

export const metadata: Metadata = { title: "Join a live class · CWM Playground" };

type Props = { searchParams: Promise<{ code?: string | string[] }> };

export default async function JoinPage({ searchParams }: Props) {
  const raw = (await searchParams).code;
  // The QR code's link prefills the code; anything odd in it is shown, explained, not trusted.
  const code = cleanCode(typeof raw === "string" ? raw : "").slice(0, 12);
  return (
    <main className="mx-auto flex min-h-dvh w-full max-w-md flex-col gap-6 px-4 py-6">
      <header className="flex flex-col gap-1">
        <a href="/" className="text-base font-bold">
          CWM Playground
        </a>
        <h1 className="text-3xl font-bold">Join a live class</h1>
        <p className="text-base">Type the code on the teacher&apos;s screen. You will guess what a program does; your phone checks your answer.</p>
      </header>
      <JoinForm initialCode={code} />
    </main>
  );
}
