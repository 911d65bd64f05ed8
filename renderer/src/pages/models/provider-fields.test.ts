import { describe, expect, it } from 'vitest';
import { checkSettings, settingHint, settingParams, settingsFromParams } from './provider-fields.ts';
import { providerSpec } from './providers.ts';
import { BEDROCK_ENTRY, PROVIDERS_ANSWER } from './test-fixtures.ts';

const bedrock = providerSpec(PROVIDERS_ANSWER.data, 'bedrock');
const vertex = providerSpec(PROVIDERS_ANSWER.data, 'vertex_ai');
const replicate = providerSpec(PROVIDERS_ANSWER.data, 'replicate');

describe('provider fields', () => {
  it('load an existing deployment’s settings, never its secrets', () => {
    expect(settingsFromParams(bedrock, BEDROCK_ENTRY.litellm_params)).toEqual({ aws_region_name: 'eu-west-1' });
    expect(settingsFromParams(vertex, { model: 'vertex_ai/x', vertex_credentials: '/keys/sa.json', vertex_project: 'p' })).toEqual({ vertex_project: 'p' });
  });

  it('write what was typed, trimmed; empty fields are left out; numbers as numbers; references as written', () => {
    expect(
      settingParams(bedrock, { aws_region_name: ' eu-west-1 ', aws_access_key_id: '', aws_secret_access_key: 'keychain/aws-prod', aws_profile_name: '  ' }),
    ).toEqual({ aws_region_name: 'eu-west-1', aws_secret_access_key: 'keychain/aws-prod' });
    expect(settingParams(replicate, { replicate_poll_interval: '0.25' })).toEqual({ replicate_poll_interval: 0.25 });
    const json = '{\n  "type": "service_account"\n}';
    expect(settingParams(vertex, { vertex_credentials: `${json}\n` })).toEqual({ vertex_credentials: json });
  });

  it('check numbers and pasted key-file JSON; a path or a reference is taken as it is', () => {
    expect(checkSettings(replicate, { replicate_poll_interval: 'soon' }, false)).toEqual({
      'setting:replicate_poll_interval': 'Enter a number greater than 0.',
    });
    expect(checkSettings(replicate, { replicate_poll_interval: '0' }, false)).toEqual({ 'setting:replicate_poll_interval': 'Enter a number greater than 0.' });
    expect(checkSettings(vertex, { vertex_credentials: '{"type": "service_account",' }, false)['setting:vertex_credentials']).toMatch(
      /^Not valid JSON: .*\. Paste the whole key file, or give its path\.$/,
    );
    expect(checkSettings(vertex, { vertex_credentials: '/keys/sa.json' }, false)).toEqual({});
    expect(checkSettings(vertex, { vertex_credentials: 'os.environ/SA_JSON' }, false)).toEqual({});
  });

  it('a required field must be filled, except a secret when editing (empty keeps it)', () => {
    const strict = { ...bedrock, form: { ...bedrock.form, fields: bedrock.form.fields.map((f) => ({ ...f, need: 'required' as const })) } };
    expect(Object.keys(checkSettings(strict, {}, false))).toHaveLength(5);
    expect(checkSettings(strict, {}, false)['setting:aws_region_name']).toBe('Enter the AWS region: AWS Bedrock needs it.');
    expect(Object.keys(checkSettings(strict, {}, true))).toEqual(['setting:aws_region_name', 'setting:aws_profile_name']);
  });

  it('hints say where an empty field is read from, where a secret goes, and what an edit keeps', () => {
    const [region, keyId] = bedrock.form.fields;
    expect(settingHint(region!, undefined, false)).toBe('Empty: read from AWS_REGION_NAME, AWS_REGION or AWS_DEFAULT_REGION.');
    expect(settingHint(keyId!, undefined, false, 'keychain')).toBe(
      'Kept in the OS keychain; config.yaml gets a keychain/ reference. Empty: read from AWS_ACCESS_KEY_ID.',
    );
    // The store the gateway uses, not a keychain it does not have.
    expect(settingHint(keyId!, undefined, false, 'file')).toBe(
      'Kept in the encrypted secrets file in the data directory (no OS keychain here); config.yaml gets a keychain/ reference. Empty: read from AWS_ACCESS_KEY_ID.',
    );
    expect(settingHint(keyId!, undefined, false)).toBe(
      "Kept in the gateway's secret store; config.yaml gets a keychain/ reference. Empty: read from AWS_ACCESS_KEY_ID.",
    );
    expect(settingHint(keyId!, 'keychain/model-1-aws_access_key_id', true, 'keychain')).toBe(
      'Kept in the OS keychain; config.yaml gets a keychain/ reference. Leave empty to keep the current value (keychain/model-1-aws_access_key_id).',
    );
    const credentials = vertex.form.fields[2]!;
    expect(settingHint(credentials, '/keys/sa.json', true)).toBe(
      'A key file path stays in config.yaml as written; pasted JSON goes to the gateway’s secret store (the OS keychain, or its encrypted file). Leave empty to keep the current value (/keys/sa.json).',
    );
  });
});
