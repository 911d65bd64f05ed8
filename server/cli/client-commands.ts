/** `--test` and `--health`: talk to a gateway that is already running, as a client would. */

export interface ClientTarget {
  baseUrl: string;
  key?: string;
}

async function getJson(target: ClientTarget, path: string, init: RequestInit = {}): Promise<{ status: number; body: unknown }> {
  const headers = new Headers(init.headers);
  if (target.key) headers.set('authorization', `Bearer ${target.key}`);
  let res: Response;
  try {
    res = await fetch(target.baseUrl + path, { ...init, headers, signal: AbortSignal.timeout(120_000) });
  } catch (err) {
    throw new Error(`No gateway answers at ${target.baseUrl} (${(err as Error).cause ?? (err as Error).message}). Start it with \`npm start\`.`);
  }
  const text = await res.text();
  try {
    return { status: res.status, body: JSON.parse(text) };
  } catch {
    return { status: res.status, body: text };
  }
}

const errorMessage = (body: unknown) => (body as { error?: { message?: string } })?.error?.message ?? JSON.stringify(body);

/** Sends one chat request (to `model`, or the gateway's first model) and returns the answer text. */
export async function runTestRequest(target: ClientTarget, model?: string): Promise<string> {
  let chosen = model;
  if (!chosen) {
    const models = await getJson(target, '/v1/models');
    if (models.status !== 200) throw new Error(`GET /v1/models failed (${models.status}): ${errorMessage(models.body)}`);
    chosen = (models.body as { data: { id: string }[] }).data[0]?.id;
    if (!chosen) throw new Error('The gateway serves no models; add one to config.yaml.');
  }
  const answer = await getJson(target, '/v1/chat/completions', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ model: chosen, messages: [{ role: 'user', content: 'This is a test request from LLM Gateway. Reply with a short greeting.' }] }),
  });
  if (answer.status !== 200) throw new Error(`The test request to \`${chosen}\` failed (${answer.status}): ${errorMessage(answer.body)}`);
  const content = (answer.body as { choices?: { message?: { content?: string | null } }[] }).choices?.[0]?.message?.content;
  return `${chosen}: ${content ?? '(no text in the answer)'}`;
}

export async function runHealthCheck(target: ClientTarget): Promise<{ healthy: boolean; report: unknown }> {
  const res = await getJson(target, '/health');
  if (res.status !== 200) throw new Error(`GET /health failed (${res.status}): ${errorMessage(res.body)}`);
  const report = res.body as { unhealthy_count?: number };
  return { healthy: (report.unhealthy_count ?? 0) === 0, report };
}
