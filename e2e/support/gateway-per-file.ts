/**
 * The gateway most e2e files share across their tests: started on the mock providers before the file's tests,
 * the mocks' record of requests cleared before each test, both closed after them all.
 */
import { afterAll, beforeAll, beforeEach } from 'vitest';
import type { MockProviders } from '../mock-providers/index.ts';
import { admin, type Admin } from './admin.ts';
import { startGatewayOnMocks, type GatewayOnMocks, type TestGateway, type TestGatewayOptions } from './gateway.ts';

/** The running mocks and gateway, with its admin API (master key). */
export interface FileGateway {
  mock: MockProviders;
  gw: TestGateway;
  api: Admin;
}

/** Registers the file's hooks; `started` receives the gateway once it runs (before the first test). */
export function withGatewayOnMocks(config: (mockUrl: string) => string, options: TestGatewayOptions, started: (gateway: FileGateway) => void): void {
  let running: GatewayOnMocks | undefined;
  beforeAll(async () => {
    running = await startGatewayOnMocks(config, {}, options);
    started({ mock: running.mock, gw: running.gw, api: admin(running.gw.url) });
  });
  afterAll(() => running?.close());
  beforeEach(() => running?.mock.reset());
}
