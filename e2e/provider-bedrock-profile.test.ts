/**
 * An AWS named profile through a real gateway, driven by the official openai SDK, against the framed mock's
 * Converse (which recomputes the SigV4 signature): the gateway's environment names the shared files
 * (AWS_SHARED_CREDENTIALS_FILE, AWS_CONFIG_FILE — temp files, not the machine's ~/.aws), the profile's keys sign
 * the request and its `region` from `[profile NAME]` (or `[default]`) scopes the signature.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { AWS_TEST_CREDENTIALS } from './mock-providers/bedrock-sigv4.ts';
import { type FramedMockProviders, type FramedRequest, startFramedMockProviders } from './mock-providers/framed-server.ts';
import { type TestGateway, startTestGateway } from './support/gateway.ts';
import { expectValid } from './support/openapi.ts';

const { accessKeyId, secretAccessKey } = AWS_TEST_CREDENTIALS;
const HAIKU = 'anthropic.claude-3-haiku-20240307-v1:0';

const config = (url: string) => `
model_list:
  - model_name: team
    litellm_params: { model: bedrock/${HAIKU}, api_base: "${url}", aws_profile_name: team }
  - model_name: default-profile
    litellm_params: { model: bedrock/${HAIKU}, api_base: "${url}", aws_profile_name: default }
  - model_name: team-in-us-east-2
    litellm_params: { model: bedrock/${HAIKU}, api_base: "${url}", aws_profile_name: team, aws_region_name: us-east-2 }
litellm_settings:
  num_retries: 0
general_settings:
  master_key: sk-1234
`;

let dir: string;
let mock: FramedMockProviders;
let gw: TestGateway;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'aws-shared-files-'));
  const keys = `aws_access_key_id = ${accessKeyId}\naws_secret_access_key = ${secretAccessKey}\n`;
  writeFileSync(join(dir, 'credentials'), `[default]\n${keys}\n[team]\n${keys}`);
  writeFileSync(join(dir, 'config'), '[default]\nregion = eu-north-1\n\n[profile team]\nregion = ap-southeast-2\n');
  mock = await startFramedMockProviders();
  gw = await startTestGateway(config(mock.url), { AWS_SHARED_CREDENTIALS_FILE: join(dir, 'credentials'), AWS_CONFIG_FILE: join(dir, 'config') });
});
afterAll(async () => {
  await gw?.close();
  await mock?.close();
  rmSync(dir, { recursive: true, force: true });
});
beforeEach(() => mock.reset());

const last = (): FramedRequest => mock.requests.at(-1)!;
const scopeRegion = (request: FramedRequest) => /Credential=[^/]+\/\d{8}\/([^/]+)\/bedrock\/aws4_request/.exec(String(request.headers.authorization))?.[1];

describe('Bedrock with a named AWS profile', () => {
  it("signs with the profile's keys and its region from the config file", async () => {
    for (const [model, region] of [
      ['team', 'ap-southeast-2'],
      ['default-profile', 'eu-north-1'],
      ['team-in-us-east-2', 'us-east-2'],
    ] as const) {
      const res = await gw.client('sk-1234').chat.completions.create({ model, messages: [{ role: 'user', content: 'hello profile' }] });
      expectValid('CreateChatCompletionResponse', res);
      expect(res.choices[0]?.message.content).toBe('echo: hello profile');
      expect(last().status).toBe(200);
      expect(scopeRegion(last())).toBe(region);
    }
  });
});
