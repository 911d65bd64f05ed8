/**
 * Every documented example of the seeds (e2e/seed-examples/seed-*.yaml: LiteLLM proxy's 2023 docs, lm-eval-harness
 * against it, the LLM_PROXY setups, LLProxy) run verbatim against the gateway on the mock providers: `litellm` →
 * `npm start --`, providers → the mocks, 0.0.0.0:8000 → 0.0.0.0:<test port>, nothing else. One gateway per
 * distinct start command, shared by its examples. An example marked `known_failure` must still fail (so the mark
 * goes once it works); `skip` is only for what this machine cannot have (a real cloud, a missing client); one
 * summary line counts them all.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFramedMockProviders } from './mock-providers/framed-server.ts';
import { startMockProviders } from './mock-providers/index.ts';
import { killCliProcesses } from './support/cli-process.ts';
import { loadSeedFixtures, type SeedExample } from './seed-examples/fixtures.ts';
import { runSeedExample, startSeedGateway, type SeedMocks, type StartedSeedGateway } from './seed-examples/run-example.ts';

const fixtures = loadSeedFixtures();
let mocks: SeedMocks;
const tally = { passed: 0, knownFailures: 0, skipped: new Map<string, number>() };

beforeAll(async () => {
  mocks = { mock: await startMockProviders(), framed: await startFramedMockProviders() };
});
afterAll(async () => {
  killCliProcesses();
  await mocks?.mock.close();
  await mocks?.framed.close();
  const skipped = [...tally.skipped].map(([why, n]) => `${n} ${why}`).join(', ') || 'none';
  console.log(`seed examples: ${tally.passed} work verbatim, ${tally.knownFailures} known failures, skipped: ${skipped}`);
});

/** Examples grouped by gateway start (same command, env and files → one gateway), in fixture order. */
function byStart(examples: SeedExample[]): SeedExample[][] {
  const groups = new Map<string, SeedExample[]>();
  for (const example of examples) {
    const key = example.skip ? `skip:${example.id}` : JSON.stringify(example.start ?? null);
    groups.set(key, [...(groups.get(key) ?? []), example]);
  }
  return [...groups.values()];
}

for (const fixture of fixtures) {
  describe(`seed ${fixture.seed}: ${fixture.title}`, () => {
    for (const group of byStart(fixture.examples)) {
      const first = group[0]!;
      if (first.skip) {
        it.skip(`${first.id} — skipped: ${first.skip}`, () => {});
        const why = first.skip.replace(/ \(.*$/, '');
        tally.skipped.set(why, (tally.skipped.get(why) ?? 0) + 1);
        continue;
      }
      describe(first.start?.command ?? '(no gateway)', () => {
        let gateway: StartedSeedGateway;
        beforeAll(async () => {
          gateway = await startSeedGateway(first.start!, mocks);
        });
        afterAll(async () => {
          await gateway?.close();
        });
        for (const example of group) {
          const title = example.known_failure ? `${example.id} — known failure: ${example.known_failure}` : example.id;
          it(title, async () => {
            const problems = await runSeedExample(example, gateway, mocks);
            if (example.known_failure) {
              expect(problems, `${example.id} works now: remove its known_failure mark`).not.toEqual([]);
              tally.knownFailures += 1;
            } else {
              expect(problems, `${example.id} (${example.source})`).toEqual([]);
              tally.passed += 1;
            }
          }, 30_000);
        }
      });
    }
  });
}
