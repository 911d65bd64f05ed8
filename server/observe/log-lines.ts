/**
 * Log lines as the dashboard gets them (GET /admin/logs, /admin/logs/stream): pino's JSON parsed, with
 * every secret masked (mask-fields.ts). The logger masks each line the same way as it writes it (logger.ts);
 * this pass on the way out also covers lines written before a secret was configured, and rings fed by a
 * logger built elsewhere.
 */
import type { LogLine } from '../core/admin-api.ts';
import type { Deployment } from '../core/call.ts';
import { maskFields, maskString } from './mask-fields.ts';

/** One pino line, parsed: the admin API's wire shape (core/admin-api.ts). */
export type { LogLine };

/** What knownSecrets reads of the gateway's current state (the whole state object, so the cache follows reloads). */
export interface SecretHolder {
  masterKey?: string | undefined;
  router: { deployments: readonly Deployment[] };
}

/** Secrets the gateway itself holds right now (cached per config state). */
const secretsByState = new WeakMap<SecretHolder, string[]>();

export function knownSecrets(state: SecretHolder): string[] {
  let secrets = secretsByState.get(state);
  if (!secrets) {
    const found = new Set<string>();
    const add = (value: unknown) => {
      if (typeof value === 'string' && value.length >= 6) found.add(value);
    };
    add(state.masterKey);
    for (const d of state.router.deployments) {
      add(d.apiKey);
      add(d.params.azure_ad_token);
      for (const value of Object.values(d.headers)) add(value);
    }
    // Longest first, so a secret that contains another is masked whole.
    secrets = [...found].sort((a, b) => b.length - a.length);
    secretsByState.set(state, secrets);
  }
  return secrets;
}

/** One ring line → the masked LogLine. A line that is not pino JSON becomes an info line carrying it as `msg`. */
export function toLogLine(line: string, secrets: readonly string[]): LogLine {
  let parsed: unknown;
  try {
    parsed = JSON.parse(line);
  } catch {
    parsed = undefined;
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    return { level: 30, time: Date.now(), msg: maskString(line, undefined, secrets) };
  }
  const masked = maskFields(parsed, secrets) as Record<string, unknown>;
  return {
    ...masked,
    level: typeof masked.level === 'number' ? masked.level : 30,
    time: typeof masked.time === 'number' ? masked.time : Date.now(),
  } as LogLine;
}
