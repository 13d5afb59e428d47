// Types of ./test-times.mjs (plain JavaScript: node's --test-reporter loads it without a TypeScript loader).
export declare const TIMES_FILE: string;
export declare function sourceOf(file: string, cwd?: string): string;
export declare const BASELINE_TIMES_FILE: string;
export declare function recordedTimes(path?: string, baselinePath?: string): Record<string, number>;
export declare function longestFirst(files: readonly string[], path?: string, baselinePath?: string): string[];
export declare function keepTimes(runPath: string, path?: string): void;
export default function testTimes(source: AsyncIterable<unknown>): AsyncGenerator<string>;
