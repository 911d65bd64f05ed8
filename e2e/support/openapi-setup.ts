/**
 * Vitest global setup for the OpenAPI schema checks (e2e/support/openapi.ts). Without the spec file and with CI
 * unset, each test file that would have checked a body skips the check and writes its name to a file made here;
 * teardown then prints ONE line for the whole run naming how many files skipped and why. Nothing is printed when
 * the spec is there, when no test needed it, or with CI set (then a missing spec fails the tests that need it).
 */
import type { TestProject } from 'vitest/node';
import { SPEC_MISSING } from './openapi.ts';
import { skipNoticeSetup } from './skip-notice.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The file test workers append their name to when they skip schema checks (see openapi.ts). */
    openapiSkipLog: string;
  }
}

export default function setup(project: TestProject): () => void {
  return skipNoticeSetup(
    project,
    'openapiSkipLog',
    'llm-gateway-openapi-',
    (files) => `*** OpenAPI schema checks SKIPPED in ${files.length} test file${files.length === 1 ? '' : 's'}: ${SPEC_MISSING}.`,
  );
}
