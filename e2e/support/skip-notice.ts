/**
 * What the global setups behind the one-line skip notices share (clients-setup.ts, openapi-setup.ts): test
 * workers that skip append a name to a log file made here; teardown prints ONE line for the whole run when any did.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ProvidedContext } from 'vitest';
import type { TestProject } from 'vitest/node';

/** The names provided to workers whose value is a path (each setup declares its own in ProvidedContext). */
type PathKey = { [K in keyof ProvidedContext]: ProvidedContext[K] extends string ? K : never }[keyof ProvidedContext];

/**
 * Makes the log file, provides its path to the workers as `key`, and returns the teardown: it removes the file
 * and, when names were written, warns `notice(the distinct names)`.
 */
export function skipNoticeSetup(project: TestProject, key: PathKey, tempPrefix: string, notice: (names: string[]) => string): () => void {
  const dir = mkdtempSync(join(tmpdir(), tempPrefix));
  const log = join(dir, 'skipped');
  project.provide(key, log);
  return () => {
    let names: string[] = [];
    try {
      names = [...new Set(readFileSync(log, 'utf8').split('\n').filter(Boolean))];
    } catch {
      // Nothing was skipped.
    }
    rmSync(dir, { recursive: true, force: true });
    if (names.length > 0) console.warn(notice(names));
  };
}
