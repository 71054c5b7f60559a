type Env = Record<string, string | undefined>;
export declare function findChromium(env?: Env): string | null;
export declare function findPostgres(env?: Env): string | null;
export declare function missingLine(missing: string[]): string;
