/**
 * A virtual key reaches only its own models, whichever way a request could get elsewhere (issue 11): the model
 * asked for, its aliases, the configured fallback chains (router_settings / litellm_settings, default_fallbacks)
 * and the body's own `fallbacks` / `context_window_fallbacks` / `content_policy_fallbacks`. A body chain naming
 * a model the key may not use is refused up front (403, no upstream call); a configured one is skipped for that
 * key. The body's `num_retries` and `timeout` may lower the config's, never raise them. Real HTTP against a
 * gateway on the shared mock providers, for chat completions and /v1/messages (the same pipeline).
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { MockProviders } from './mock-providers/index.ts';
import { admin, chat, expectOpenAIError } from './support/admin.ts';
import { anthropicEntry, hi, MASTER_KEY, openaiEntry, sendMessage } from './support/anthropic-client.ts';
import { startGatewayOnMocks, type GatewayOnMocks } from './support/gateway.ts';

let running: GatewayOnMocks | undefined;
let mock: MockProviders;
let url: string;
/** May use every group but the `forbidden-*` ones; `big` is its alias of `allowed-large`. */
let key: string;

const config = (u: string) => `
model_list:${openaiEntry(u, 'small', 'small-context-overflow')}${openaiEntry(u, 'cfg-small', 'cfg-small-context-overflow')}${openaiEntry(
  u,
  'guarded',
  'guarded-content-policy',
)}${openaiEntry(u, 'broken', 'broken-error-500')}${openaiEntry(u, 'broken-default', 'broken-default-error-500')}${openaiEntry(
  u,
  'limited',
  'limited-error-429',
)}${openaiEntry(u, 'allowed-large', 'allowed-large-model')}${openaiEntry(u, 'forbidden-large', 'forbidden-large-model')}${openaiEntry(
  u,
  'allowed-backup',
  'allowed-backup-model',
)}${openaiEntry(u, 'forbidden-backup', 'forbidden-backup-model')}${anthropicEntry(u, 'claude-small', 'claude-small-context-overflow')}
router_settings:
  num_retries: 1
  allowed_fails: 100
  context_window_fallbacks: [{"cfg-small": ["forbidden-large", "allowed-large"]}, {"claude-small": ["forbidden-large", "allowed-large"]}]
  content_policy_fallbacks: [{"guarded": ["forbidden-large"]}]
  fallbacks: [{"broken": ["forbidden-backup"]}]
  default_fallbacks: ["forbidden-backup", "allowed-backup"]
litellm_settings:
  request_timeout: 1
general_settings:
  master_key: ${MASTER_KEY}
`;

const KEY_MODELS = ['small', 'cfg-small', 'guarded', 'broken', 'broken-default', 'limited', 'allowed-large', 'allowed-backup', 'claude-small'];

beforeAll(async () => {
  running = await startGatewayOnMocks(config);
  ({ mock } = running);
  url = running.gw.url;
  ({ key } = await admin(url, MASTER_KEY).generateKey({ models: KEY_MODELS, aliases: { big: 'allowed-large' } }));
});
afterAll(() => running?.close());
beforeEach(() => mock.reset());

const ask = (caller: string, model: string, extra: Record<string, unknown> = {}) => chat(url, caller, { model, messages: hi.messages, ...extra });
const upstreamModels = () => mock.requests.map((r) => r.model);

describe('fallbacks in the body, chat completions', () => {
  it.each([
    ['fallbacks', { fallbacks: ['allowed-large', 'forbidden-large'] }],
    ['context_window_fallbacks', { context_window_fallbacks: [{ small: ['forbidden-large'] }] }],
    ['content_policy_fallbacks', { content_policy_fallbacks: [{ small: ['forbidden-large'] }] }],
  ])('%s naming a model the key may not use: 403 naming it, before any upstream call', async (field, extra) => {
    const error = expectOpenAIError(await ask(key, 'small', extra), 403, 'key_model_access_denied', 'permission_error');
    expect(error.message).toContain('`forbidden-large`');
    expect(error.param).toBe(field);
    expect(upstreamModels()).toEqual([]);
  });

  it('a chain of the key’s own models serves the overflow; a name is read through the key’s aliases', async () => {
    const direct = await ask(key, 'small', { context_window_fallbacks: [{ small: ['allowed-large'] }] });
    expect([direct.status, direct.headers.get('x-litellm-model-id')]).toEqual([200, 'allowed-large-model']);
    const aliased = await ask(key, 'small', { context_window_fallbacks: [{ small: ['big'] }] });
    expect([aliased.status, aliased.headers.get('x-litellm-model-id')]).toEqual([200, 'allowed-large-model']);
    expect(upstreamModels()).toEqual(['small-context-overflow', 'allowed-large-model', 'small-context-overflow', 'allowed-large-model']);
  });

  it('the master key may still name any model (the chain works, so the refusals above are the key’s)', async () => {
    const answer = await ask(MASTER_KEY, 'small', { context_window_fallbacks: [{ small: ['forbidden-large'] }] });
    expect([answer.status, answer.headers.get('x-litellm-model-id')]).toEqual([200, 'forbidden-large-model']);
  });
});

describe('configured fallbacks the key may not use are skipped for it', () => {
  it('context_window_fallbacks: the next allowed group of the chain serves the key, the forbidden one the master key', async () => {
    const forKey = await ask(key, 'cfg-small');
    expect([forKey.status, forKey.headers.get('x-litellm-model-id')]).toEqual([200, 'allowed-large-model']);
    const forMaster = await ask(MASTER_KEY, 'cfg-small');
    expect([forMaster.status, forMaster.headers.get('x-litellm-model-id')]).toEqual([200, 'forbidden-large-model']);
    expect(upstreamModels()).toEqual(['cfg-small-context-overflow', 'allowed-large-model', 'cfg-small-context-overflow', 'forbidden-large-model']);
  });

  it('content_policy_fallbacks with only a forbidden group: the refusal reaches the key as the upstream gave it', async () => {
    expectOpenAIError(await ask(key, 'guarded'), 400, 'content_policy_violation');
    expect(upstreamModels()).toEqual(['guarded-content-policy']);
  });

  it('fallbacks with only a forbidden group: the failure reaches the key (the group’s own chain wins over default_fallbacks)', async () => {
    const answer = await ask(key, 'broken');
    expect(answer.status).toBeGreaterThanOrEqual(500);
    expect(upstreamModels()).toEqual(['broken-error-500', 'broken-error-500']);
  });

  it('default_fallbacks: the forbidden group is passed over for the allowed one', async () => {
    const answer = await ask(key, 'broken-default');
    expect([answer.status, answer.headers.get('x-litellm-model-id')]).toEqual([200, 'allowed-backup-model']);
    expect(upstreamModels()).toEqual(['broken-default-error-500', 'broken-default-error-500', 'allowed-backup-model']);
  });
});

describe('/v1/messages goes through the same checks', () => {
  it('a body chain naming a forbidden model: 403 in Anthropic’s shape, no upstream call', async () => {
    const answer = await sendMessage(url, { model: 'claude-small', ...hi, context_window_fallbacks: [{ 'claude-small': ['forbidden-large'] }] }, { key });
    expect(answer.status).toBe(403);
    expect(answer.body).toEqual({ type: 'error', error: { type: 'permission_error', message: expect.stringContaining('`forbidden-large`') } });
    expect(upstreamModels()).toEqual([]);
  });

  it('a configured chain: the forbidden group is skipped for the key, used for the master key', async () => {
    const forKey = await sendMessage(url, { model: 'claude-small', ...hi }, { key });
    expect([forKey.status, forKey.modelId]).toEqual([200, 'allowed-large-model']);
    const forMaster = await sendMessage(url, { model: 'claude-small', ...hi });
    expect([forMaster.status, forMaster.modelId]).toEqual([200, 'forbidden-large-model']);
    expect(upstreamModels()).toEqual(['claude-small-context-overflow', 'allowed-large-model', 'claude-small-context-overflow', 'forbidden-large-model']);
  });
});

describe('num_retries and timeout in a key’s body are capped by the config', () => {
  it('num_retries: more than the config’s 1 is cut to 1; fewer is honoured; the master key may raise it', async () => {
    const attempts = async (caller: string, numRetries: number) => {
      mock.reset();
      expect((await ask(caller, 'broken', { num_retries: numRetries, fallbacks: [] })).status).toBeGreaterThanOrEqual(500);
      return upstreamModels().length;
    };
    expect(await attempts(key, 5)).toBe(2);
    expect(await attempts(key, 0)).toBe(1);
    expect(await attempts(MASTER_KEY, 3)).toBe(4);
  });

  it('timeout: a key’s 60 s is cut to the config’s 1 s, so a group cooling for 7 s is refused at once', async () => {
    // A 429 with Retry-After: 7 cools the only deployment for 7 s (no fallbacks: default_fallbacks would serve it).
    await ask(key, 'limited', { fallbacks: [] });
    expect(upstreamModels()).toEqual(['limited-error-429']);
    for (const timeoutField of ['timeout', 'request_timeout']) {
      const refused = await ask(key, 'limited', { [timeoutField]: 60, fallbacks: [] });
      expectOpenAIError(refused, 429, 'all_deployments_cooling');
    }
    expect(upstreamModels()).toEqual(['limited-error-429']);
  });
});
