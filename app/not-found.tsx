export default function NotFound() {
  return (
    <main className="mx-auto max-w-xl p-8">
      <h1 className="text-2xl font-bold">Not found</h1>
      <p className="mt-2">There is no run at this address. Shared runs live at /r/&lt;id&gt;; the id may be mistyped.</p>
      <p className="mt-4">
        <a className="underline" href="/">
          Open the playground
        </a>
      </p>
    </main>
  );
}
