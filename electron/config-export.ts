/**
 * "Export config.yaml…": the running gateway's export (GET /admin/config/export with the master key; secrets
 * are references in it, never values), fetched by main and saved where the user picks.
 */

export const EXPORT_PATH = '/admin/config/export';

export class ExportError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ExportError';
  }
}

export async function fetchConfigExport(
  gatewayUrl: string,
  masterKey: string | undefined,
  options: { fetch?: typeof fetch; timeoutMs?: number } = {},
): Promise<string> {
  if (!masterKey) throw new ExportError('The gateway has no master key to authorise the export.');
  const doFetch = options.fetch ?? fetch;
  let response: Response;
  try {
    response = await doFetch(new URL(EXPORT_PATH, gatewayUrl), {
      headers: { authorization: `Bearer ${masterKey}`, accept: 'text/yaml' },
      signal: AbortSignal.timeout(options.timeoutMs ?? 10_000),
      redirect: 'error',
    });
  } catch (err) {
    throw new ExportError(`Could not reach the gateway: ${(err as Error).message}`);
  }
  const text = await response.text();
  if (response.ok) return text;
  // The error body is the gateway's {"error": {"message"}}; never echo the key.
  let message = `HTTP ${response.status}`;
  try {
    const parsed = JSON.parse(text) as { error?: { message?: unknown } };
    if (typeof parsed.error?.message === 'string') message = parsed.error.message;
  } catch {
    // Not JSON.
  }
  if (response.status === 404) message = 'This gateway cannot export its config (no /admin/config/export).';
  throw new ExportError(`The export failed: ${message.split(masterKey).join('…')}`);
}
