import { describe, expect, it } from 'vitest';
import { testDeployment } from '../../test-support/fixtures.ts';
import { ai21Provider } from './index.ts';

describe('AI21 descriptor', () => {
  it("resolves AI21_API_KEY and LiteLLM's api_base (…/studio/v1)", () => {
    expect(ai21Provider.resolveConnection({ model: 'ai21/jamba-mini' }, { AI21_API_KEY: 'ai21-env' }, 'm')).toMatchObject({
      apiBase: 'https://api.ai21.com/studio/v1',
      apiKey: 'ai21-env',
    });
    expect(ai21Provider.prefixes).toEqual(['ai21', 'ai21_chat']);
  });

  it('probes with a one-token call carrying the key (AI21 has no free endpoint that checks it)', () => {
    const probe = ai21Provider.healthProbe?.(
      testDeployment({ provider: 'ai21', upstreamModel: 'jamba-mini', apiBase: 'https://api.ai21.com/studio/v1', apiKey: 'a-k' }),
    );
    expect(probe).toMatchObject({ method: 'POST', url: 'https://api.ai21.com/studio/v1/chat/completions', headers: { authorization: 'Bearer a-k' } });
    expect(JSON.parse(probe?.body ?? '')).toMatchObject({ model: 'jamba-mini', max_tokens: 1 });
  });
});
