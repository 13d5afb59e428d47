// Types of ./bundles.mjs (plain JavaScript so bin/perpguard.mjs can use it before any TypeScript loader).
export interface Bundle {
  readonly entry: string;
  readonly output: string;
  readonly packagesExternal: boolean;
}
export declare const ROOT: string;
export declare const BUNDLES: { readonly worker: Bundle; readonly analysis: Bundle; readonly cli: Bundle };
export declare function newestSourceMs(dir?: string, newest?: number): number;
export declare function isFresh(output: string, newestMs?: number | (() => number)): boolean;
export declare function buildBundle(bundle: Bundle): Promise<string>;
export declare function freshBundle(bundle: Bundle, newestMs?: number | (() => number)): Promise<{ path: string } | { problem: string }>;
/** esbuild plugin: each source module's import.meta.url is its own file's URL (relative to `output`, else absolute). */
export declare function sourceUrlPlugin(output?: string): { name: string; setup(build: unknown): void };
