/**
 * Vitest global setup for the OpenAPI schema checks (e2e/support/openapi.ts). Without the spec file and with CI
 * unset, each test file that would have checked a body skips the check and writes its name to a file made here;
 * teardown then prints ONE line for the whole run naming how many files skipped and why. Nothing is printed when
 * the spec is there, when no test needed it, or with CI set (then a missing spec fails the tests that need it).
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { SPEC_MISSING } from './openapi.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The file test workers append their name to when they skip schema checks (see openapi.ts). */
    openapiSkipLog: string;
  }
}

export default function setup(project: TestProject): () => void {
  const dir = mkdtempSync(join(tmpdir(), 'llm-gateway-openapi-'));
  const log = join(dir, 'skipped');
  project.provide('openapiSkipLog', log);
  return () => {
    let files: string[] = [];
    try {
      files = [...new Set(readFileSync(log, 'utf8').split('\n').filter(Boolean))];
    } catch {
      // No test skipped a schema check.
    }
    rmSync(dir, { recursive: true, force: true });
    if (files.length > 0) console.warn(`*** OpenAPI schema checks SKIPPED in ${files.length} test file${files.length === 1 ? '' : 's'}: ${SPEC_MISSING}.`);
  };
}
