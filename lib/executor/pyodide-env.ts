/**
 * The interpreter's environment, the same in the browser and in Node. A fixed hash seed makes
 * the order of sets and dicts keyed by strings the same on every run, so re-running a shared
 * run in another browser reproduces its trace instead of reporting a spurious difference.
 */
export const PYODIDE_ENV: Record<string, string> = { PYTHONHASHSEED: "0" };
