/** `--detailed_debug` prints each upstream request as a curl command a person can re-run (secrets masked). */
import type { UpstreamRequest } from '../core/call.ts';
import { maskHeaders } from './mask.ts';

const quote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

export function curlCommand(req: UpstreamRequest): string {
  const parts = [`curl -X ${req.method} ${quote(req.url)}`];
  for (const [name, value] of Object.entries(maskHeaders(req.headers))) parts.push(`-H ${quote(`${name}: ${value}`)}`);
  if (req.body !== undefined) parts.push(`-d ${quote(req.body)}`);
  return parts.join(' \\\n  ');
}
