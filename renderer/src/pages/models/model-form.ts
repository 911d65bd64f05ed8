/**
 * The Add / Edit model form as plain data: the text the user typed, its checks, and what is sent —
 * /model/new's entry, or /model/update's changes only (the gateway merges litellm_params key by key).
 * What each provider needs comes from the gateway's provider list (GET /admin/providers), passed in.
 */
import type { ModelEntry } from '../../api/types.ts';
import type { ModelUpdate, NewModel } from '../../api/models.ts';
import { checkSettings, settingErrorKey, settingParams, settingsFromParams, type SettingErrorKey, type SettingValues } from './provider-fields.ts';
import { defaultProviderId, providerSpec, splitModel, type ProviderInfo } from './providers.ts';

export interface ModelForm {
  modelName: string;
  provider: string;
  upstream: string;
  apiBase: string;
  apiVersion: string;
  /** Only what was typed: an existing key is never loaded into the form. */
  apiKey: string;
  rpm: string;
  tpm: string;
  timeout: string;
  inputPrice: string;
  outputPrice: string;
  extra: string;
  /** The provider's own fields (form.fields), by litellm_params key; secrets only as typed. */
  settings: SettingValues;
}

export type FormErrors = Partial<Record<Exclude<keyof ModelForm, 'settings'> | SettingErrorKey, string>>;

/** A blank form, on the gateway's default provider. */
export function emptyForm(providers: readonly ProviderInfo[]): ModelForm {
  return {
    modelName: '',
    provider: defaultProviderId(providers),
    upstream: '',
    apiBase: '',
    apiVersion: '',
    apiKey: '',
    rpm: '',
    tpm: '',
    timeout: '',
    inputPrice: '',
    outputPrice: '',
    extra: '',
    settings: {},
  };
}

/** Form fields and the litellm_params key each writes. */
const NUMBER_PARAMS = { rpm: 'rpm', tpm: 'tpm', timeout: 'timeout' } as const;
const PRICE_PARAMS = { inputPrice: 'input_cost_per_token', outputPrice: 'output_cost_per_token' } as const;

/** USD per token ↔ USD per million tokens, without binary noise (2.5 → 0.0000025 → 2.5). */
const perToken = (perMillion: number) => Number((perMillion / 1e6).toPrecision(12));
const perMillion = (perTokenValue: number) => Number((perTokenValue * 1e6).toPrecision(12));

/** litellm_params keys the form's own fields own for this provider (everything else is "Extra params"). */
export function managedParams(spec: ProviderInfo): Set<string> {
  const keys = new Set<string>(['model', 'custom_llm_provider', ...Object.values(NUMBER_PARAMS), ...Object.values(PRICE_PARAMS)]);
  if (spec.form.api_base !== 'hidden') keys.add('api_base').add('base_url');
  if (spec.form.api_key !== 'hidden') keys.add('api_key');
  if (spec.form.api_version !== 'hidden') keys.add('api_version');
  for (const field of spec.form.fields) keys.add(field.param);
  return keys;
}

const text = (value: unknown): string => (value === undefined || value === null ? '' : typeof value === 'string' ? value : String(value));

function priceText(params: Record<string, unknown>, info: Record<string, unknown>, key: string): string {
  const raw = params[key] ?? info[key];
  const n = typeof raw === 'number' ? raw : typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : NaN;
  return Number.isFinite(n) ? String(perMillion(n)) : '';
}

/**
 * The form for an existing deployment. `resolved` is `provider/upstream` as the gateway resolved it (health),
 * used when config.yaml names the model without a prefix. Returns undefined for a provider the form cannot edit.
 */
export function formFromEntry(entry: ModelEntry, providers: readonly ProviderInfo[], resolved?: string): ModelForm | undefined {
  const params = entry.litellm_params;
  const split = splitModel(providers, params, resolved);
  if (!split) return undefined;
  const spec = providerSpec(providers, split.provider);
  const managed = managedParams(spec);
  const extra = Object.fromEntries(Object.entries(params).filter(([key]) => !managed.has(key)));
  return {
    modelName: entry.model_name,
    provider: split.provider,
    upstream: split.upstream,
    apiBase: managed.has('api_base') ? text(params.api_base ?? params.base_url) : '',
    apiVersion: managed.has('api_version') ? text(params.api_version) : '',
    apiKey: '',
    rpm: text(params.rpm),
    tpm: text(params.tpm),
    timeout: text(params.timeout),
    inputPrice: priceText(params, entry.model_info, PRICE_PARAMS.inputPrice),
    outputPrice: priceText(params, entry.model_info, PRICE_PARAMS.outputPrice),
    extra: Object.keys(extra).length ? JSON.stringify(extra, null, 2) : '',
    settings: settingsFromParams(spec, params),
  };
}

/** Extra params as an object, or the reason it is not one. */
export function parseExtra(source: string): { value: Record<string, unknown> } | { error: string } {
  if (source.trim() === '') return { value: {} };
  let parsed: unknown;
  try {
    parsed = JSON.parse(source);
  } catch (error) {
    return { error: `Not valid JSON: ${(error as Error).message}` };
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) return { error: 'Write a JSON object, e.g. {"temperature": 0.2}.' };
  return { value: parsed as Record<string, unknown> };
}

/** A field's number, or the message for it. */
function checkNumber(raw: string, kind: 'count' | 'seconds' | 'price'): string | undefined {
  const value = raw.trim();
  if (value === '') return undefined;
  const n = Number(value);
  if (!Number.isFinite(n)) return 'Enter a number.';
  if (kind === 'count' && (!Number.isInteger(n) || n < 0)) return 'Enter a whole number, 0 or more.';
  if (kind === 'seconds' && n <= 0) return 'Enter a number of seconds greater than 0.';
  if (kind === 'price' && n < 0) return 'Enter a price of 0 or more.';
  return undefined;
}

const looksLikeUrl = (value: string) => /^https?:\/\/\S+$/i.test(value) || /^(os\.environ|keychain)\/\S+$/.test(value);

/** What is wrong with the form as typed (empty when nothing). `editing`: the key may stay as it is. */
export function validateForm(form: ModelForm, providers: readonly ProviderInfo[], editing: boolean): FormErrors {
  const spec = providerSpec(providers, form.provider);
  const errors: FormErrors = {};
  if (form.modelName.trim() === '') errors.modelName = 'Enter the model name clients will ask for.';
  if (form.upstream.trim() === '') errors.upstream = `Enter the provider's model name (what follows ${spec.id}/).`;
  else if (/\s/.test(form.upstream.trim())) errors.upstream = 'A model name has no spaces.';
  const base = form.apiBase.trim();
  if (spec.form.api_base === 'required' && base === '') {
    errors.apiBase = `${spec.label} needs its URL, e.g. ${spec.form.api_base_placeholder ?? 'https://…'}.`;
  } else if (spec.form.api_base !== 'hidden' && base !== '' && !looksLikeUrl(base)) {
    errors.apiBase = 'Enter a URL starting with http:// or https:// (or an os.environ/NAME reference).';
  }
  // A token that stands in for the key (Azure's azure_ad_token) may come in Extra params instead.
  const extra = parseExtra(form.extra);
  const tokenParam = spec.auth.token_param;
  const keyElsewhere =
    tokenParam !== undefined && ((form.settings[tokenParam] ?? '').trim() !== '' || ('value' in extra && typeof extra.value[tokenParam] === 'string'));
  if (!editing && spec.form.api_key === 'required' && form.apiKey.trim() === '' && !keyElsewhere) {
    errors.apiKey = `${spec.label} needs an API key (or os.environ/${spec.form.api_key_env ?? 'NAME'} to read it from the environment).`;
  }
  for (const field of ['rpm', 'tpm'] as const) {
    const message = checkNumber(form[field], 'count');
    if (message) errors[field] = message;
  }
  const timeout = checkNumber(form.timeout, 'seconds');
  if (timeout) errors.timeout = timeout;
  for (const field of ['inputPrice', 'outputPrice'] as const) {
    const message = checkNumber(form[field], 'price');
    if (message) errors[field] = message;
  }
  Object.assign(errors, checkSettings(spec, form.settings, editing));
  if ('error' in extra) errors.extra = extra.error;
  else {
    const managed = managedParams(spec);
    const clash = Object.keys(extra.value).find((key) => managed.has(key));
    if (clash) errors.extra = `\`${clash}\` has its own field above; set it there.`;
  }
  return errors;
}

/** The litellm_params the form's fields (not Extra params) describe; empty fields are left out. */
function fieldParams(form: ModelForm, providers: readonly ProviderInfo[]): Record<string, unknown> {
  const spec = providerSpec(providers, form.provider);
  const params: Record<string, unknown> = { model: `${spec.id}/${form.upstream.trim()}` };
  if (spec.form.api_base !== 'hidden' && form.apiBase.trim()) params.api_base = form.apiBase.trim();
  if (spec.form.api_version !== 'hidden' && form.apiVersion.trim()) params.api_version = form.apiVersion.trim();
  if (spec.form.api_key !== 'hidden' && form.apiKey.trim()) params.api_key = form.apiKey.trim();
  Object.assign(params, settingParams(spec, form.settings));
  for (const [field, key] of Object.entries(NUMBER_PARAMS)) {
    const value = form[field as keyof typeof NUMBER_PARAMS].trim();
    if (value !== '') params[key] = Number(value);
  }
  for (const [field, key] of Object.entries(PRICE_PARAMS)) {
    const value = form[field as keyof typeof PRICE_PARAMS].trim();
    if (value !== '') params[key] = perToken(Number(value));
  }
  return params;
}

/** /model/new's body for a valid form. */
export function newModelBody(form: ModelForm, providers: readonly ProviderInfo[]): NewModel {
  const extra = parseExtra(form.extra);
  // Extra params never repeat a field's key (validateForm), so the order only makes config.yaml read well.
  const params = { ...fieldParams(form, providers), ...('value' in extra ? extra.value : {}) } as NewModel['litellm_params'];
  return { model_name: form.modelName.trim(), litellm_params: params };
}

const FIELD_OF_PARAM: Record<string, keyof FormErrors> = {
  api_base: 'apiBase',
  api_version: 'apiVersion',
  rpm: 'rpm',
  tpm: 'tpm',
  timeout: 'timeout',
  input_cost_per_token: 'inputPrice',
  output_cost_per_token: 'outputPrice',
};

const REMOVE_REFUSED = 'An edit cannot clear this: the gateway keeps what an update leaves out. Enter a value, or delete the deployment and add it again.';

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/**
 * What an edit changes, as /model/update takes it (only what differs from `initial`), or the fields that ask
 * for something an update cannot do: the gateway's update merges, so a setting cannot be removed by one.
 */
export function updateBody(
  id: string,
  entry: ModelEntry,
  initial: ModelForm,
  form: ModelForm,
  providers: readonly ProviderInfo[],
): { update: ModelUpdate } | { errors: FormErrors } {
  const before = { ...parseExtraValue(initial.extra), ...fieldParams(initial, providers) };
  const after = { ...parseExtraValue(form.extra), ...fieldParams(form, providers) };
  const errors: FormErrors = {};
  const params: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(after)) if (!same(before[key], value)) params[key] = value;
  // A secret the answer showed masked (`sk-…abcd`, e.g. inside `headers`) must not be written back as if it were the value.
  const masked = maskedValues(entry.litellm_params);
  for (const [key, value] of Object.entries(params)) {
    const shown = masked.find((m) => JSON.stringify(value).includes(JSON.stringify(m).slice(1, -1)));
    if (shown !== undefined) errors.extra = `\`${key}\` still holds the masked secret ${shown}: type the full value, or leave \`${key}\` as it was.`;
  }
  const spec = providerSpec(providers, form.provider);
  const shown = managedParams(spec);
  const ownFields = new Set(spec.form.fields.map((f) => f.param));
  const extrasBefore = parseExtraValue(initial.extra);
  for (const key of Object.keys(before)) {
    if (key in after) continue;
    const field = FIELD_OF_PARAM[key] ?? (ownFields.has(key) ? settingErrorKey(key) : undefined);
    if (field && shown.has(key)) errors[field] = REMOVE_REFUSED;
    else if (key in extrasBefore && !shown.has(key)) {
      errors.extra = `\`${key}\` cannot be removed by an edit (the gateway keeps what an update leaves out); give it a value, or delete the deployment and add it again.`;
    }
    // Otherwise the field belongs to the provider picked before (e.g. api_version after leaving Azure): it stays, unused.
  }
  if (Object.keys(errors).length) return { errors };
  // A deployment whose provider is set by custom_llm_provider follows the provider picked here.
  if ('model' in params && typeof entry.litellm_params.custom_llm_provider === 'string') params.custom_llm_provider = form.provider;
  const update: ModelUpdate = { id };
  if (form.modelName.trim() !== initial.modelName) update.model_name = form.modelName.trim();
  if (Object.keys(params).length) update.litellm_params = params;
  return { update };
}

function parseExtraValue(source: string): Record<string, unknown> {
  const parsed = parseExtra(source);
  return 'value' in parsed ? parsed.value : {};
}

/** Strings in litellm_params that are masked secrets as the gateway shows them (`sk-…abcd`). */
function maskedValues(value: unknown): string[] {
  if (typeof value === 'string') return value.includes('…') ? [value] : [];
  if (Array.isArray(value)) return value.flatMap(maskedValues);
  if (value && typeof value === 'object') return Object.values(value).flatMap(maskedValues);
  return [];
}
