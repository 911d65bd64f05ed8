/** Types of scripts/build.mjs for the TypeScript that calls it (tests, electron/scripts/build.ts). */
export type Target = 'server' | 'electron' | 'ui';
export interface BuildOptions {
  /** Inline source maps. */
  dev?: boolean;
  /** Where the esbuild targets go (default dist/); the ui always goes to renderer/dist. */
  outdir?: string;
  /** Build only the targets that are stale. */
  ifStale?: boolean;
  /** Where progress lines go (default console.log). */
  log?: (line: string) => void;
}
export const ROOT: string;
export const DIST: string;
export const TARGETS: readonly Target[];
/** Why `target` needs building, or '' when it is up to date. */
export function staleReason(target: Target, options?: { outdir?: string }): string;
/** Whether the dev tool the target needs (esbuild, vite) is installed. */
export function canBuild(target: Target): boolean;
/** Builds the targets (default all), one after the other; resolves to the targets built. */
export function build(targets?: readonly Target[], options?: BuildOptions): Promise<Target[]>;
