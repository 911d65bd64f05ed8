import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { GatewayError } from '../../core/errors.ts';
import { awsSigningSettings, credentialsFor } from './credentials.ts';

const model = 'bedrock/m';

describe('awsSigningSettings', () => {
  it('takes litellm_params first, then the environment, region defaulting to us-west-2', () => {
    const env = { AWS_ACCESS_KEY_ID: 'ENVKEY', AWS_SECRET_ACCESS_KEY: 'envsecret', AWS_SESSION_TOKEN: 'envtoken', AWS_REGION: 'eu-central-1' };
    expect(awsSigningSettings({ model, aws_access_key_id: 'K', aws_secret_access_key: 'S', aws_region_name: 'ap-south-1' }, env)).toEqual({
      region: 'ap-south-1',
      credentials: { accessKeyId: 'K', secretAccessKey: 'S' },
    });
    expect(awsSigningSettings({ model }, env)).toEqual({
      region: 'eu-central-1',
      credentials: { accessKeyId: 'ENVKEY', secretAccessKey: 'envsecret', sessionToken: 'envtoken' },
    });
    expect(awsSigningSettings({ model }, { AWS_DEFAULT_REGION: 'us-east-2' })).toEqual({ region: 'us-east-2' });
    expect(awsSigningSettings({ model }, {})).toEqual({ region: 'us-west-2' });
  });

  it('names a profile when litellm_params or AWS_PROFILE gives one', () => {
    expect(awsSigningSettings({ model, aws_profile_name: 'work' }, { AWS_ACCESS_KEY_ID: 'K', AWS_SECRET_ACCESS_KEY: 'S' })).toEqual({
      region: 'us-west-2',
      profile: 'work',
    });
    expect(awsSigningSettings({ model }, { AWS_PROFILE: 'home' })).toEqual({ region: 'us-west-2', profile: 'home' });
  });
});

describe('credentialsFor', () => {
  const saved = { ...process.env };
  afterEach(() => {
    process.env = { ...saved };
  });

  it("reads a named profile's keys from the shared credentials file", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'aws-profile-'));
    writeFileSync(
      join(dir, 'credentials'),
      '[default]\naws_access_key_id = D\naws_secret_access_key = d\n\n[work]\naws_access_key_id = W\naws_secret_access_key = w\naws_session_token = t\n',
    );
    writeFileSync(join(dir, 'config'), '[profile work]\nregion = eu-west-1\n');
    process.env.AWS_SHARED_CREDENTIALS_FILE = join(dir, 'credentials');
    process.env.AWS_CONFIG_FILE = join(dir, 'config');
    expect(await credentialsFor({ region: 'us-west-2', profile: 'work' })).toEqual({ accessKeyId: 'W', secretAccessKey: 'w', sessionToken: 't' });
    await expect(credentialsFor({ region: 'us-west-2', profile: 'absent' })).rejects.toBeInstanceOf(GatewayError);
  });

  it('says how to give credentials when there are none', async () => {
    await expect(credentialsFor({ region: 'us-west-2' })).rejects.toMatchObject({ status: 401, code: 'aws_credentials_missing' });
  });
});
