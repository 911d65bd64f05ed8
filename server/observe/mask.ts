/** Secrets are shown as `sk-…abcd`: enough to recognise a key, never enough to use it. */
export function maskSecret(value: string): string {
  const bearer = /^(Bearer|Basic)\s+/i.exec(value);
  if (bearer) return bearer[0] + maskSecret(value.slice(bearer[0].length));
  if (value.length <= 8) return '****';
  return `${value.slice(0, 3)}…${value.slice(-4)}`;
}

/** Header names whose values are credentials. */
const SECRET_HEADERS = new Set(['authorization', 'api-key', 'x-api-key', 'proxy-authorization', 'x-goog-api-key', 'cookie']);

export function maskHeaders(headers: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) out[name] = SECRET_HEADERS.has(name.toLowerCase()) ? maskSecret(value) : value;
  return out;
}

/** Replaces every occurrence of the given secrets inside free text (error messages, URLs). */
export function redactSecrets(text: string, secrets: Iterable<string | undefined>): string {
  let out = text;
  for (const secret of secrets) if (secret && secret.length >= 6) out = out.split(secret).join(maskSecret(secret));
  return out;
}
