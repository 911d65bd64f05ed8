/**
 * Vitest global setup for the real-client tests (e2e/clients/). Without e2e/clients/node_modules and with CI
 * unset, each client test file skips its tests and writes its name to a file made here; teardown then prints
 * ONE line for the whole run naming how many were skipped and why. Nothing is printed when the clients are
 * installed, when no client test was in the run, or with CI set (then the client tests run and fail).
 */
import type { TestProject } from 'vitest/node';
import { CLIENTS_MISSING } from '../clients/installed.ts';
import { skipNoticeSetup } from './skip-notice.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The file client test files append their name to when they skip (see e2e/clients/support.ts). */
    clientsSkipLog: string;
  }
}

export default function setup(project: TestProject): () => void {
  return skipNoticeSetup(
    project,
    'clientsSkipLog',
    'llm-gateway-clients-',
    (clients) => `*** Real-client tests SKIPPED (${clients.join(', ')}): ${CLIENTS_MISSING}.`,
  );
}
