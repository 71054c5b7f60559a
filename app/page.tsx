export default function Page() {
  return <main className="p-4">CWM Playground</main>;
}
