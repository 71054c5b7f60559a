export declare const SHARED_DATA: string;
export declare const SHARED_DATA_FILES: readonly string[];
export declare const sharedDataPresent: boolean;
export declare const SHARED_DATA_MISSING: string;
export declare function testFilesNeedingSharedData(root: string, testFiles: string[]): string[];
