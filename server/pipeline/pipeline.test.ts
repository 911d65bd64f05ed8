import type { ServerResponse } from 'node:http';
import { describe, expect, it } from 'vitest';
import { GatewayError } from '../core/errors.ts';
import type { Caller } from '../keys/caller.ts';
import type { VirtualKey } from '../keys/virtual-key.ts';
import { RelayedUpstreamError } from '../proxy/anthropic-native.ts';
import { CallLifetime } from '../proxy/call-lifetime.ts';
import { ClientGoneError } from '../proxy/upstream.ts';
import { testDeployment } from '../test-support/fixtures.ts';
import { runPipeline } from './pipeline.ts';
import type { Inbound, PipelineReply } from './runtime.ts';
import { fakeRuntime, scriptedSurface, type FakeRuntime, type ScriptedSurface } from './test-support/scripted.ts';

const primary = testDeployment({ id: 'a', modelName: 'primary', provider: 'anthropic' });
const backup = testDeployment({ id: 'b', modelName: 'backup', provider: 'openai' });
const usage = { prompt_tokens: 3, completion_tokens: 2, total_tokens: 5 };

function inbound(authenticate: () => Caller = () => ({ kind: 'open' })): Inbound {
  return { path: '/v1/test', body: { model: 'primary' }, authenticate, lifetime: new CallLifetime() };
}

const run = (fake: FakeRuntime, surface: ScriptedSurface, request = inbound()) => runPipeline(fake.runtime, request, surface);

function expectKind<K extends PipelineReply['kind']>(reply: PipelineReply, kind: K): Extract<PipelineReply, { kind: K }> {
  expect(reply.kind).toBe(kind);
  return reply as Extract<PipelineReply, { kind: K }>;
}

describe('runPipeline', () => {
  it('prepares each attempt for the deployment the router picked; a fallback moves the spend row and the metrics', async () => {
    const fake = fakeRuntime([primary, backup], { numRetries: 0, fallbacks: new Map([['primary', ['backup']]]) });
    const surface = scriptedSurface(fake, { a: { fail: new GatewayError(502, 'down') }, b: { json: { ok: true }, usage } });
    const reply = expectKind(await run(fake, surface), 'json');
    expect(surface.prepared).toEqual(['anthropic:a', 'openai:b']);
    expect([reply.status, reply.body, reply.headers['x-litellm-model-id']]).toEqual([200, { ok: true }, 'b']);
    expect(fake.rows).toHaveLength(1);
    expect(fake.rows[0]).toMatchObject({
      requestId: reply.headers['x-litellm-call-id'],
      deploymentId: 'b',
      modelGroup: 'backup',
      status: 'success',
      completionTokens: 2,
    });
    expect(reply.headers['x-litellm-response-cost']).toBe('0');
    expect(await fake.metricsText()).toContain('llm_gateway_requests_total{model_group="backup",deployment="b",status="200"} 1');
    expect(fake.lines().find((l) => l.msg === 'request')).toMatchObject({ status: 200, deploymentId: 'b', path: '/v1/test' });
  });

  it('an upstream error relayed as is counts against its deployment, and the client is told the upstream’s status', async () => {
    const fake = fakeRuntime([primary], { numRetries: 0, allowedFails: 0 });
    const relayed = new RelayedUpstreamError(new GatewayError(503, 'Anthropic: Overloaded', { type: 'service_unavailable' }), {
      status: 529,
      headers: { 'request-id': 'req_1' },
      body: { type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } },
    });
    const reply = expectKind(await run(fake, scriptedSurface(fake, { a: { fail: relayed } })), 'failed');
    expect(reply.error).toBe(relayed);
    expect(reply.headers).toEqual({ 'x-litellm-call-id': fake.rows[0]?.requestId, 'x-litellm-model-id': 'a' });
    // The router read it as the 503 it maps to: a deployment failure, so (allowed_fails 0) it cools down.
    expect(fake.runtime.health.coolingUntil('a')).toBeGreaterThan(Date.now());
    expect(fake.rows[0]).toMatchObject({ status: 'failure', httpStatus: 529, errorType: 'upstream_error' });
    expect(fake.lines().find((l) => l.msg === 'request')).toMatchObject({ status: 529 });
  });

  it('a refused key is logged and counted like any failure, without a call id or a spend row', async () => {
    const fake = fakeRuntime([primary]);
    const surface = scriptedSurface(fake, { a: { json: {} } });
    const refused = new GatewayError(401, 'Invalid API key.', { code: 'invalid_api_key' });
    const reply = expectKind(
      await run(
        fake,
        surface,
        inbound(() => {
          throw refused;
        }),
      ),
      'failed',
    );
    expect([reply.error, reply.headers]).toEqual([refused, {}]);
    expect(surface.prepared).toEqual([]);
    expect(fake.rows).toEqual([]);
    expect(fake.lines().find((l) => l.msg === 'request')).toMatchObject({ status: 401, error: 'Invalid API key.' });
    expect(await fake.metricsText()).toContain('llm_gateway_requests_total{model_group="none",deployment="none",status="401"} 1');
  });

  it('a model the key may not call: 403 before any attempt, with a failure row for the key', async () => {
    const fake = fakeRuntime([primary, backup]);
    const surface = scriptedSurface(fake, { a: { json: {} } });
    // Only what model access and the spend row read of a key.
    const key = { id: 'k1', keyHash: 'h1', keyName: 'sk-…abcd', keyAlias: 'team', models: ['backup'], aliases: {} } as unknown as VirtualKey;
    const reply = expectKind(
      await run(
        fake,
        surface,
        inbound(() => ({ kind: 'virtual', key })),
      ),
      'failed',
    );
    expect(reply.error).toMatchObject({ status: 403, code: 'key_model_access_denied' });
    expect(reply.headers).toEqual({ 'x-litellm-call-id': fake.rows[0]?.requestId });
    expect(surface.prepared).toEqual([]);
    expect(fake.rows[0]).toMatchObject({ keyId: 'k1', status: 'failure', httpStatus: 403, errorType: 'key_model_access_denied', modelGroup: 'primary' });
  });

  it('a call that is not billed leaves no spend row or inference metric, and never waits in an rpm queue', async () => {
    // rpm 1 and no room to queue: a second billed call is refused at once (the control below).
    const limited = testDeployment({ id: 'a', modelName: 'primary', params: { model: 'openai/x', rpm: 1 } });
    const fake = fakeRuntime([limited], { queue: { maxQueueSize: 0, maxQueueWaitS: 1 } });
    for (let i = 0; i < 2; i++) {
      const reply = expectKind(await run(fake, scriptedSurface(fake, { a: { json: { input_tokens: 7 } } }, { billed: false })), 'json');
      expect(reply.headers).toEqual({ 'x-litellm-call-id': expect.any(String), 'x-litellm-model-id': 'a' });
    }
    expect(fake.rows).toEqual([]);
    expect(await fake.metricsText()).not.toContain('llm_gateway_requests_total{');
    expectKind(await run(fake, scriptedSurface(fake, { a: { json: {} } })), 'json');
    const queued = expectKind(await run(fake, scriptedSurface(fake, { a: { json: {} } })), 'failed');
    expect(queued.error).toMatchObject({ status: 429, code: 'deployment_queue_full' });
  });

  it('a stream: the spend row is journaled before the response ends; a failure mid-stream is recorded with the usage so far', async () => {
    const fake = fakeRuntime([primary]);
    const surface = scriptedSurface(fake, { a: { frames: ['one', 'two'], breakWith: new GatewayError(502, 'broke'), usage } }, { stream: true });
    const reply = expectKind(await run(fake, surface), 'stream');
    expect(reply.headers).toMatchObject({ 'content-type': 'text/event-stream; charset=utf-8', 'x-litellm-model-id': 'a' });
    expect(fake.rows).toEqual([]);
    await reply.pipe({} as ServerResponse);
    expect(surface.written).toEqual(['one', 'two']);
    expect(surface.rowsWhenEnded).toBe(1);
    expect(fake.rows[0]).toMatchObject({
      requestId: reply.headers['x-litellm-call-id'],
      status: 'failure',
      httpStatus: 502,
      completionTokens: 2,
      stream: true,
    });
    expect(fake.rows[0]?.ttftMs).toBeGreaterThanOrEqual(0);
    expect(surface.closed).toBe(true);
    // The status line was already sent: the log line says 200, with the error.
    expect(fake.lines().find((l) => l.msg === 'request')).toMatchObject({ status: 200, error: 'broke', stream: true });
  });

  it('the client leaving: nothing to write, a 499 row', async () => {
    const fake = fakeRuntime([primary]);
    const reply = await run(fake, scriptedSurface(fake, { a: { fail: new ClientGoneError() } }));
    expect(reply).toEqual({ kind: 'gone' });
    expect(fake.rows[0]).toMatchObject({ httpStatus: 499, errorType: 'client_disconnected' });
  });
});
