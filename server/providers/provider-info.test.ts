import { describe, expect, it } from 'vitest';
import { isSecretParamKey } from '../config/secret-params.ts';
import { providerInfo } from './provider-info.ts';
import { PROVIDERS } from './registry.ts';

const info = (id: string) => {
  const found = PROVIDERS.find((p) => p.id === id);
  if (!found) throw new Error(`no provider ${id}`);
  return providerInfo(found);
};

/** litellm_params the form has fixed fields for: a provider field never repeats one. */
const CONNECTION_FIELDS = ['model', 'api_base', 'base_url', 'api_key', 'api_version'];

describe('providerInfo form.fields', () => {
  it('lists Bedrock’s AWS settings in snake_case, the keys as secrets, with the environment variables read when empty', () => {
    const { fields } = info('bedrock').form;
    expect(fields.map((f) => [f.param, f.kind, f.need])).toEqual([
      ['aws_region_name', 'text', 'optional'],
      ['aws_access_key_id', 'secret', 'optional'],
      ['aws_secret_access_key', 'secret', 'optional'],
      ['aws_session_token', 'secret', 'optional'],
      ['aws_profile_name', 'text', 'optional'],
    ]);
    expect(fields[0]).toEqual({
      param: 'aws_region_name',
      label: 'AWS region',
      need: 'optional',
      kind: 'text',
      placeholder: 'us-west-2',
      hint: null,
      env: ['AWS_REGION_NAME', 'AWS_REGION', 'AWS_DEFAULT_REGION'],
    });
    expect(info('sagemaker').form.fields).toEqual(fields);
    expect(info('sagemaker_chat').form.fields).toEqual(fields);
  });

  it('lists Vertex AI’s project, location and service account key (a path or the JSON: a multi-line secret)', () => {
    const { fields } = info('vertex_ai').form;
    expect(fields.map((f) => [f.param, f.kind])).toEqual([
      ['vertex_project', 'text'],
      ['vertex_location', 'text'],
      ['vertex_credentials', 'multiline-secret'],
    ]);
    expect(fields[2]?.env).toEqual(['VERTEXAI_CREDENTIALS', 'GOOGLE_APPLICATION_CREDENTIALS']);
  });

  it('gives Azure its Entra ID token, OpenAI its organization, Replicate its poll interval, and others none', () => {
    expect(info('azure').form.fields.map((f) => [f.param, f.kind])).toEqual([['azure_ad_token', 'secret']]);
    expect(info('openai').form.fields.map((f) => [f.param, f.kind])).toEqual([['organization', 'text']]);
    expect(info('replicate').form.fields.map((f) => [f.param, f.kind])).toEqual([['replicate_poll_interval', 'number']]);
    expect(info('mock').form.fields).toEqual([]);
    expect(info('groq').form.fields).toEqual([]);
  });

  it.each(PROVIDERS.map((p) => [p.id, p] as const))(
    '%s: every field is one of its own settings, and a secret exactly when the gateway keychains it',
    (_id, provider) => {
      const { fields } = providerInfo(provider).form;
      const params = fields.map((f) => f.param);
      expect(new Set(params).size).toBe(params.length);
      for (const field of fields) {
        expect(provider.settings).toContain(field.param);
        expect(CONNECTION_FIELDS).not.toContain(field.param);
        // The form never loads a secret back (the gateway shows it masked), so the two lists must agree.
        expect(field.kind === 'secret' || field.kind === 'multiline-secret', field.param).toBe(isSecretParamKey(field.param));
      }
    },
  );
});
