/**
 * The provider's own settings in the Add / Edit model form (AWS region and keys, Vertex project and service account
 * key, …), as GET /admin/providers lists them in `form.fields`: their text in the form, their checks, and the
 * litellm_params they write. A secret is never loaded back (the gateway answers it masked, or as the reference
 * config.yaml holds): its field starts empty and an empty secret field leaves the current value as it is.
 */
import { secretStoreNote, type SecretStoreKind } from '../../components/secret-store.ts';
import type { ProviderInfo } from './providers.ts';

export type ProviderField = ProviderInfo['form']['fields'][number];

/** Text typed into the provider's fields, by litellm_params key. */
export type SettingValues = Record<string, string>;

export const isSecretField = (field: ProviderField) => field.kind === 'secret' || field.kind === 'multiline-secret';

/** The key of a provider field in the form's errors. */
export type SettingErrorKey = `setting:${string}`;
export const settingErrorKey = (param: string): SettingErrorKey => `setting:${param}`;

const text = (value: unknown): string =>
  value === undefined || value === null ? '' : typeof value === 'string' ? value : typeof value === 'object' ? JSON.stringify(value) : String(value);

/** The fields' text for an existing deployment: its values, except secrets. */
export function settingsFromParams(spec: ProviderInfo, params: Record<string, unknown>): SettingValues {
  const values: SettingValues = {};
  for (const field of spec.form.fields) if (!isSecretField(field) && params[field.param] !== undefined) values[field.param] = text(params[field.param]);
  return values;
}

/** What is wrong with the fields as typed, by error key. `editing`: an empty secret keeps the current value. */
export function checkSettings(spec: ProviderInfo, values: SettingValues, editing: boolean): Record<SettingErrorKey, string> {
  const errors: Record<SettingErrorKey, string> = {};
  for (const field of spec.form.fields) {
    const value = (values[field.param] ?? '').trim();
    const key = settingErrorKey(field.param);
    if (value === '') {
      if (field.need === 'required' && !(editing && isSecretField(field))) errors[key] = `Enter the ${field.label}: ${spec.label} needs it.`;
      continue;
    }
    if (isReference(value)) continue;
    if (field.kind === 'number' && !(Number.isFinite(Number(value)) && Number(value) > 0)) errors[key] = 'Enter a number greater than 0.';
    if (field.kind === 'multiline-secret' && value.startsWith('{')) {
      const problem = jsonObjectProblem(value);
      if (problem) errors[key] = `${problem} Paste the whole key file, or give its path.`;
    }
  }
  return errors;
}

/** `os.environ/NAME` and `keychain/NAME`: kept as written, whatever the field. */
const isReference = (value: string) => /^(os\.environ|keychain)\/\S+$/.test(value);

function jsonObjectProblem(source: string): string | undefined {
  try {
    const parsed: unknown = JSON.parse(source);
    return parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed) ? undefined : 'Not a JSON object.';
  } catch (error) {
    return `Not valid JSON: ${(error as Error).message}.`;
  }
}

/** The litellm_params the fields describe; empty fields are left out, numbers are sent as numbers. */
export function settingParams(spec: ProviderInfo, values: SettingValues): Record<string, unknown> {
  const params: Record<string, unknown> = {};
  for (const field of spec.form.fields) {
    const value = (values[field.param] ?? '').trim();
    if (value === '') continue;
    params[field.param] = field.kind === 'number' && !isReference(value) ? Number(value) : value;
  }
  return params;
}

/** "A", "A or B", "A, B or C". */
const either = (names: readonly string[]) => (names.length < 2 ? (names[0] ?? '') : `${names.slice(0, -1).join(', ')} or ${names.at(-1)}`);

/**
 * What the field says under it: its purpose, where an empty one is read from, where a secret goes (the store in
 * use: `store` from GET /admin/settings), what an edit keeps.
 */
export function settingHint(field: ProviderField, current: unknown, editing: boolean, store?: SecretStoreKind): string {
  const parts: string[] = [];
  if (field.need === 'required') parts.push('Required.');
  if (field.hint) parts.push(field.hint);
  if (field.kind === 'secret') parts.push(secretStoreNote(store));
  if (editing && isSecretField(field)) {
    if (typeof current === 'string' && current !== '') parts.push(`Leave empty to keep the current value (${current}).`);
    else if (field.env.length) parts.push(`Empty: read from ${either(field.env)}.`);
  } else if (field.env.length) {
    parts.push(`Empty: read from ${either(field.env)}.`);
  }
  return parts.join(' ');
}
