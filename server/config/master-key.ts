/**
 * The master key kept in the SecretStore: generated on first run (cli/startup-config.ts), replaced by
 * POST /admin/master-key/rotate, printed by `--print-master-key`. config.yaml refers to it as
 * `general_settings.master_key: keychain/LLM_GATEWAY_MASTER_KEY`; the value never enters the file.
 */
import { randomBytes } from 'node:crypto';

export const MASTER_KEY_SECRET = 'LLM_GATEWAY_MASTER_KEY';
export const MASTER_KEY_REFERENCE = `keychain/${MASTER_KEY_SECRET}`;

/** `sk-` and 43 url-safe characters (256 random bits): the shape OpenAI clients expect of a key. */
export function generateMasterKey(): string {
  return `sk-${randomBytes(32).toString('base64url')}`;
}
