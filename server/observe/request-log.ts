/** The one log line per request (`--debug`) and the upstream request as curl (`--detailed_debug`). */
import type { Deployment, UpstreamRequest, Usage } from '../core/call.ts';
import { curlCommand } from './curl.ts';
import type { Logger } from './logger.ts';

export interface RequestLogEntry {
  requestId: string | undefined;
  path: string;
  model: unknown;
  deployment: Deployment | undefined;
  upstream: UpstreamRequest | undefined;
  usage: Usage | undefined;
  status: number;
  /** performance.now() when the request arrived. */
  started: number;
  stream: boolean;
  error?: Error | undefined;
}

export function logRequest(logger: Logger, entry: RequestLogEntry): void {
  if (entry.upstream && logger.isLevelEnabled('trace')) logger.trace({ requestId: entry.requestId }, `upstream request:\n${curlCommand(entry.upstream)}`);
  if (!logger.isLevelEnabled('debug')) return;
  const d = entry.deployment;
  logger.debug(
    {
      requestId: entry.requestId,
      path: entry.path,
      model: entry.model,
      deployment: d ? `${d.provider}/${d.upstreamModel}` : undefined,
      deploymentId: d?.id,
      status: entry.status,
      ms: Math.round((performance.now() - entry.started) * 10) / 10,
      stream: entry.stream,
      prompt_tokens: entry.usage?.prompt_tokens,
      completion_tokens: entry.usage?.completion_tokens,
      ...(entry.error ? { error: entry.error.message } : {}),
    },
    'request',
  );
}
