// Types of ./test-groups.mjs (plain JavaScript, loaded by scripts/run-tests.mjs before any TypeScript loader).
export interface TestUnit {
  readonly name?: string;
  readonly files: string[];
}
export declare const SHARED_FOLDERS: string[];
export declare const SHORT_MS: number;
export declare const GROUP_MS: number;
export declare function groupFiles(files: readonly string[], times: Record<string, number>, text?: (file: string) => string): TestUnit[];
export declare function groupSource(files: readonly string[], importPath: (file: string) => string): string;
