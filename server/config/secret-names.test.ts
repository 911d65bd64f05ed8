import { describe, expect, it } from 'vitest';
import { isValidSecretName } from '../secrets/secret-store.ts';
import { baseSecretName, firstFreeName, isGeneratedName, keychainNamesIn, keychainNamesInText } from './secret-names.ts';

describe('baseSecretName', () => {
  it.each([
    [{ model: 'openai/gpt-4o' }, ['api_key'], 'openai-gpt-4o-key'],
    [{ model: 'azure/My Deployment_01' }, ['azure_ad_token'], 'azure-my-deployment-01-azure-ad-token'],
    [
      { model: 'bedrock/anthropic.claude-3-5-sonnet-20240620-v1:0' },
      ['aws_secret_access_key'],
      'bedrock-anthropic.claude-3-5-sonnet-20240620-v1-0-aws-secret-access-key',
    ],
    [{ model: 'openai/gpt-4o' }, ['headers', 'Authorization'], 'openai-gpt-4o-authorization-header'],
    [{ modelName: 'My Model' }, ['api_key'], 'my-model-key'],
    [{ model: '///' }, ['api_key'], 'model-key'],
  ] as const)('%j %j → %s', (source, path, expected) => {
    expect(baseSecretName(source, path)).toBe(expected);
  });

  it('stays a valid secret name however long or odd the model is, with room for -<n>', () => {
    const name = baseSecretName({ model: `hf/${'ünïcode/'.repeat(40)}model` }, ['extra_headers', 'X-Api-Key']);
    expect(isValidSecretName(`${name}-99`)).toBe(true);
    expect(name.length).toBeLessThanOrEqual(100);
  });
});

describe('firstFreeName', () => {
  it('takes the base, then -2, -3, …', () => {
    const taken = new Set(['a-key', 'a-key-2']);
    expect(firstFreeName('a-key', (n) => !taken.has(n))).toBe('a-key-3');
    expect(firstFreeName('b-key', (n) => !taken.has(n))).toBe('b-key');
  });
});

describe('isGeneratedName', () => {
  const source = { model: 'openai/gpt-4o' };
  it('knows both namings, and nothing a user chose', () => {
    expect(isGeneratedName('openai-gpt-4o-key', 'id-1', source, ['api_key'])).toBe(true);
    expect(isGeneratedName('openai-gpt-4o-key-7', 'id-1', source, ['api_key'])).toBe(true);
    expect(isGeneratedName('model-id-1-api_key', 'id-1', source, ['api_key'])).toBe(true);
    expect(isGeneratedName('model-id-2-api_key', 'id-1', source, ['api_key'])).toBe(false);
    expect(isGeneratedName('my-openai-key', 'id-1', source, ['api_key'])).toBe(false);
    expect(isGeneratedName('openai-gpt-4o-key-extra', 'id-1', source, ['api_key'])).toBe(false);
  });
});

describe('keychainNamesIn / keychainNamesInText', () => {
  it('finds every keychain reference', () => {
    expect([...keychainNamesIn({ a: ['keychain/one', { b: 'keychain/two' }], c: 'os.environ/X' })]).toEqual(['one', 'two']);
    expect([...keychainNamesInText('api_key: keychain/one\nkey: "keychain/two" # keychain/three')]).toEqual(['one', 'two', 'three']);
  });
});
