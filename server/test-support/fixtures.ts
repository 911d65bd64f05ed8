/**
 * Builders and assertions shared by the unit tests: one fully filled `Deployment` (an OpenAI model unless
 * overridden), a `CallContext` around it, and "this must throw that error class, give me the error".
 * Tests that need another provider pass its fields as overrides instead of writing their own builder.
 */
import { expect } from 'vitest';
import { GatewayError } from '../core/errors.ts';
import type { CallContext, Deployment, Endpoint } from '../providers/types.ts';

/** A complete OpenAI deployment; `overrides` replace fields as given (an `undefined` value clears one). */
export function testDeployment(overrides: Partial<Deployment> = {}): Deployment {
  return {
    id: 'dep-1',
    modelName: 'gpt',
    provider: 'openai',
    upstreamModel: 'gpt-4o-2024-08-06',
    apiBase: 'https://api.openai.com/v1',
    apiKey: 'sk-test-1234',
    params: { model: 'openai/gpt-4o-2024-08-06' },
    timeoutMs: 600_000,
    streamTimeoutMs: 600_000,
    dropParams: false,
    defaults: {},
    headers: {},
    modelInfo: {},
    ...overrides,
  };
}

export interface TestCallOptions {
  /** Default 'chat'. */
  endpoint?: Endpoint | undefined;
  /** Default false. */
  stream?: boolean | undefined;
  /** Overrides for `testDeployment`. */
  deployment?: Partial<Deployment> | undefined;
}

/** A call context for `body` (used as given) on `testDeployment(options.deployment)`, request id 'r1'. */
export function testCallContext(body: Record<string, unknown>, options: TestCallOptions = {}): CallContext {
  return {
    endpoint: options.endpoint ?? 'chat',
    body,
    deployment: testDeployment(options.deployment),
    stream: options.stream ?? false,
    requestId: 'r1',
  };
}

/** Calls `fn`, expects it to throw an instance of `errorClass`, and returns that error. */
export function thrownBy<E extends Error>(fn: () => unknown, errorClass: abstract new (...args: never[]) => E): E {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(errorClass);
    return err as E;
  }
  throw new Error(`expected a ${errorClass.name}`);
}

/** Calls `fn`, expects it to throw a GatewayError, and returns it. */
export function gatewayErrorFrom(fn: () => unknown): GatewayError {
  return thrownBy(fn, GatewayError);
}
