import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { GatewayError } from '../../core/errors.ts';
import { awsRegion, awsSigningSettings, credentialsFor } from './credentials.ts';

const model = 'bedrock/m';
/** An environment whose shared config file does not exist, so the machine's ~/.aws/config never leaks in. */
const noFiles = { AWS_CONFIG_FILE: join(tmpdir(), 'no-such-aws-config') };

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
    expect(awsSigningSettings({ model }, noFiles)).toEqual({ region: 'us-west-2' });
  });

  it('names a profile when litellm_params or AWS_PROFILE gives one', () => {
    const env = { HOME: join(tmpdir(), 'no-such-home') };
    expect(awsSigningSettings({ model, aws_profile_name: 'work' }, { ...env, AWS_ACCESS_KEY_ID: 'K', AWS_SECRET_ACCESS_KEY: 'S' })).toEqual({
      region: 'us-west-2',
      profile: 'work',
    });
    expect(awsSigningSettings({ model }, { ...env, AWS_PROFILE: 'home' })).toEqual({ region: 'us-west-2', profile: 'home' });
  });
});

describe("a profile's region from the shared config file", () => {
  const dir = mkdtempSync(join(tmpdir(), 'aws-config-'));
  const configFile = join(dir, 'config');
  writeFileSync(
    configFile,
    [
      '[default]',
      'region = eu-north-1',
      '',
      '[profile work]',
      '# the team account',
      's3 =',
      '  region = not-this-one',
      'region=ap-southeast-2 ; trailing comment',
      '',
      '[profile bare]',
      'output = json',
      '',
    ].join('\n'),
  );
  const env = { AWS_CONFIG_FILE: configFile };

  it('reads `[profile NAME]` for aws_profile_name or AWS_PROFILE, and `[default]` otherwise', () => {
    expect(awsRegion({ model, aws_profile_name: 'work' }, env)).toBe('ap-southeast-2');
    expect(awsRegion({ model }, { ...env, AWS_PROFILE: 'work' })).toBe('ap-southeast-2');
    expect(awsRegion({ model }, env)).toBe('eu-north-1');
  });

  it('yields to aws_region_name and the environment, and falls back to us-west-2 when the profile names none', () => {
    expect(awsRegion({ model, aws_profile_name: 'work', aws_region_name: 'us-east-1' }, env)).toBe('us-east-1');
    expect(awsRegion({ model, aws_profile_name: 'work' }, { ...env, AWS_REGION: 'ca-central-1' })).toBe('ca-central-1');
    expect(awsRegion({ model, aws_profile_name: 'work' }, { ...env, AWS_DEFAULT_REGION: 'sa-east-1' })).toBe('sa-east-1');
    expect(awsRegion({ model, aws_profile_name: 'bare' }, env)).toBe('us-west-2');
  });

  it('finds ~/.aws/config under HOME when AWS_CONFIG_FILE is unset', () => {
    const home = mkdtempSync(join(tmpdir(), 'aws-home-'));
    mkdirSync(join(home, '.aws'));
    writeFileSync(join(home, '.aws', 'config'), '[profile home]\nregion = me-south-1\n');
    expect(awsRegion({ model, aws_profile_name: 'home' }, { HOME: home })).toBe('me-south-1');
    expect(awsRegion({ model, aws_profile_name: 'home' }, { HOME: home, AWS_CONFIG_FILE: '~/.aws/config' })).toBe('me-south-1');
  });

  it('records the files the environment names, for reading the credentials when signing', () => {
    const credentialsFile = join(dir, 'credentials');
    expect(awsSigningSettings({ model, aws_profile_name: 'work' }, { ...env, AWS_SHARED_CREDENTIALS_FILE: credentialsFile })).toEqual({
      region: 'ap-southeast-2',
      profile: 'work',
      files: { configFile, credentialsFile },
    });
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

  it("reads the files the deployment's environment named, not process.env's", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'aws-files-'));
    writeFileSync(join(dir, 'creds'), '[ops]\naws_access_key_id = O\naws_secret_access_key = o\n');
    delete process.env.AWS_SHARED_CREDENTIALS_FILE;
    process.env.AWS_CONFIG_FILE = join(tmpdir(), 'no-such-aws-config');
    const settings = awsSigningSettings({ model, aws_profile_name: 'ops' }, { ...noFiles, AWS_SHARED_CREDENTIALS_FILE: join(dir, 'creds') });
    expect(await credentialsFor(settings)).toEqual({ accessKeyId: 'O', secretAccessKey: 'o' });
  });

  it('says how to give credentials when there are none', async () => {
    await expect(credentialsFor({ region: 'us-west-2' })).rejects.toMatchObject({ status: 401, code: 'aws_credentials_missing' });
  });
});
