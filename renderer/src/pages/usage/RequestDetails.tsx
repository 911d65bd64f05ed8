// biome-ignore-all lint/correctness/useJsxKeyInIterable: the [label, value] pairs are rendered by a keyed map below; the values are not list items
/**
 * "Request details": every field of one /spend/logs row, the cost exact to the nano-dollar; for a failed
 * request the error message its client was told (masked), and for a fallback both the model asked for and
 * the group that served.
 */
import type { ReactNode } from 'react';
import type { SpendLogRow } from '../../api/types.ts';
import { Dialog } from '../../components/Dialog.tsx';
import { formatDateTime, formatMs, formatNumber } from '../../components/format.ts';
import { exactCost, requestErrorMessage, requestRouting } from './usage-format.ts';

/** metadata.usage_source: where the token counts (and so the cost) came from. */
const USAGE_SOURCES: Record<string, string> = {
  provider: 'Reported (by the provider)',
  estimated: 'Estimated (tokenizer count; the provider reported none)',
  none: 'None (no usage to count)',
};

/** metadata.cost_source: where the price came from. */
const COST_SOURCES: Record<string, string> = {
  price_table: 'Price table',
  deployment: "The deployment's own prices (litellm_params / model_info)",
  unpriced: 'Unpriced: no price is known for this model, so it counts as $0',
};

function ttftOf(row: SpendLogRow): number | null {
  if (typeof row.metadata?.ttft_ms === 'number') return row.metadata.ttft_ms;
  if (!row.completionStartTime) return null;
  return new Date(row.completionStartTime).getTime() - new Date(row.startTime).getTime();
}

export function RequestDetails({ row, onClose }: { row: SpendLogRow | null; onClose: () => void }) {
  return (
    <Dialog title="Request details" open={row !== null} onClose={onClose} wide>
      {row && <DetailsList row={row} />}
    </Dialog>
  );
}

function DetailsList({ row }: { row: SpendLogRow }) {
  const m = row.metadata ?? ({} as SpendLogRow['metadata']);
  const failed = row.status === 'failure';
  const routing = requestRouting(row);
  const errorText = requestErrorMessage(row);
  const items: [string, ReactNode][] = [
    ['Request ID', <span className="mono">{row.request_id}</span>],
    ['Status', <span className={failed ? 'badge badge-danger' : 'badge badge-ok'}>{`${row.status} ${m.http_status ?? ''}`.trim()}</span>],
    ...(failed
      ? ([
          ['HTTP status', String(m.http_status ?? '—')],
          ['Error type', m.error_type ?? '—'],
          ['Error message', errorText ? <pre className="error-message">{errorText}</pre> : '—'],
        ] as [string, ReactNode][])
      : []),
    ['Started', formatDateTime(row.startTime)],
    ['Ended', formatDateTime(row.endTime)],
    ['Latency', formatMs(row.request_duration_ms)],
    ['Time to first token', formatMs(ttftOf(row))],
    ['Key', row.key_alias ? `${row.key_alias}` : row.api_key ? 'No alias' : 'No key'],
    ['Key hash', row.api_key ? <span className="mono">{row.api_key}</span> : '—'],
    ['Key ID', m.key_id ? <span className="mono">{m.key_id}</span> : '—'],
    ...(routing.fallback
      ? ([
          [
            'Model',
            <>
              {routing.requested} → served by {routing.served} <span className="badge badge-warning">fallback</span>
            </>,
          ],
          ['Requested model', routing.requested],
          ['Served by (model group)', routing.served],
        ] as [string, ReactNode][])
      : ([['Model group', row.model_group || '—']] as [string, ReactNode][])),
    ['Upstream model', row.model || '—'],
    ['Provider', row.custom_llm_provider || '—'],
    ['Deployment', row.model_id ? <span className="mono">{row.model_id}</span> : '—'],
    ['API base', row.api_base ? <span className="mono">{row.api_base}</span> : '—'],
    ['Endpoint', `${m.endpoint ?? '—'} (${row.call_type})`],
    ['Stream', m.stream ? 'Yes' : 'No'],
    ['Prompt tokens', formatNumber(row.prompt_tokens)],
    ['Completion tokens', formatNumber(row.completion_tokens)],
    ['Total tokens', formatNumber(row.total_tokens)],
    ['Cached tokens', formatNumber(m.cached_tokens ?? 0)],
    ['Usage source', USAGE_SOURCES[m.usage_source] ?? m.usage_source ?? '—'],
    ['Cost', <span className="mono">{exactCost(row)}</span>],
    ['Priced from', COST_SOURCES[m.cost_source] ?? m.cost_source ?? '—'],
    ['Cache hit', row.cache_hit === 'True' ? 'Yes' : 'No'],
    ['End user', row.user || '—'],
  ];
  if (typeof m.cache_creation_tokens === 'number' && m.cache_creation_tokens > 0)
    items.splice(
      items.findIndex(([k]) => k === 'Usage source'),
      0,
      ['Cache write tokens', formatNumber(m.cache_creation_tokens)],
    );
  return (
    <dl className="details-list">
      {items.map(([term, value]) => (
        <div key={term} className="details-item">
          <dt>{term}</dt>
          <dd>{value}</dd>
        </div>
      ))}
    </dl>
  );
}
