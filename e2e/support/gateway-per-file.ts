/**
 * The gateway most e2e files share across their tests: started on the mock providers before the file's tests,
 * the mocks' record of requests cleared before each test, both closed after them all.
 */
import { afterAll, beforeAll, beforeEach } from 'vitest';
import { type FramedMockProviders, startFramedMockProviders } from '../mock-providers/framed-server.ts';
import type { MockProviders } from '../mock-providers/index.ts';
import { admin, type Admin } from './admin.ts';
import { startGatewayOnMocks, startTestGateway, type GatewayOnMocks, type TestGateway, type TestGatewayOptions } from './gateway.ts';

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

/** The framed mocks (AWS event-stream, NDJSON) and a gateway on them, with its admin API (master key). */
export interface FramedFileGateway {
  mock: FramedMockProviders;
  gw: TestGateway;
  api: Admin;
}

/** As withGatewayOnMocks, on the framed mocks (framed-server.ts); `env` is the gateway's environment. */
export function withGatewayOnFramedMocks(
  config: (mockUrl: string) => string,
  env: Record<string, string>,
  options: TestGatewayOptions,
  started: (gateway: FramedFileGateway) => void,
): void {
  let mock: FramedMockProviders | undefined;
  let gw: TestGateway | undefined;
  beforeAll(async () => {
    mock = await startFramedMockProviders();
    gw = await startTestGateway(config(mock.url), env, options);
    started({ mock, gw, api: admin(gw.url) });
  });
  afterAll(async () => {
    await gw?.close();
    await mock?.close();
  });
  beforeEach(() => mock?.reset());
}
