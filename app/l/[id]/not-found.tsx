export default function LessonNotFound() {
  return (
    <main className="mx-auto max-w-xl p-8">
      <h1 className="text-2xl font-bold">Lesson not found</h1>
      <p className="mt-2">There is no lesson at this address. Lessons live at /l/&lt;id&gt;; the id may be mistyped.</p>
      <p className="mt-4">
        <a className="underline" href="/">
          Open the playground
        </a>
      </p>
    </main>
  );
}
