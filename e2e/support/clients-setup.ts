/**
 * Vitest global setup for the real-client tests (e2e/clients/). Without e2e/clients/node_modules and with CI
 * unset, each client test file skips its tests and writes its name to a file made here; teardown then prints
 * ONE line for the whole run naming how many were skipped and why. Nothing is printed when the clients are
 * installed, when no client test was in the run, or with CI set (then the client tests run and fail).
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { CLIENTS_MISSING } from '../clients/installed.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The file client test files append their name to when they skip (see e2e/clients/support.ts). */
    clientsSkipLog: string;
  }
}

export default function setup(project: TestProject): () => void {
  const dir = mkdtempSync(join(tmpdir(), 'llm-gateway-clients-'));
  const log = join(dir, 'skipped');
  project.provide('clientsSkipLog', log);
  return () => {
    let clients: string[] = [];
    try {
      clients = [...new Set(readFileSync(log, 'utf8').split('\n').filter(Boolean))];
    } catch {
      // No client test was skipped.
    }
    rmSync(dir, { recursive: true, force: true });
    if (clients.length > 0) console.warn(`*** Real-client tests SKIPPED (${clients.join(', ')}): ${CLIENTS_MISSING}.`);
  };
}
