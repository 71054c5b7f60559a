// tracer.py is bundled as text into the worker (esbuild loader ".py": "text").
declare module "*.py" {
  const source: string;
  export default source;
}
