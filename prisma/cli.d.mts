export declare const root: string;
export declare const DONE: { deploy: RegExp; push: RegExp };
export declare function runPrisma(
  args: string[],
  opts?: { env?: Record<string, string>; doneWhen?: RegExp },
): Promise<{ code: number; stdout: string; stderr: string }>;
