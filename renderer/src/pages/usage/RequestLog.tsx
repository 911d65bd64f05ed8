/**
 * The request log (GET /spend/logs), newest first, 50 a page: filters by key, model and status, paging from the
 * x-total-pages header, live on page 1. A row (or its "Details" button) opens everything known about it.
 */
import { type ReactNode, useId, useState } from 'react';
import { keyDisplayName, useAllKeys, useModelGroups } from '../../api/keys.ts';
import type { SpendLogRow } from '../../api/types.ts';
import { useSpendLogs, type DateRange, type RequestFilters } from '../../api/usage.ts';
import { SelectField } from '../../components/Field.tsx';
import { EmptyState, ErrorState, Loading } from '../../components/StateViews.tsx';
import { formatCount, formatDateTime, formatMs, formatNumber, formatRelative, formatUsd } from '../../components/format.ts';
import { Pager } from './Pager.tsx';
import { RequestDetails } from './RequestDetails.tsx';
import { requestKeyName, requestRouting, shortId } from './usage-format.ts';

const STATUSES = [
  { value: '', label: 'All' },
  { value: 'success', label: 'Success' },
  { value: 'failure', label: 'Failure' },
];

function StatusBadge({ row }: { row: SpendLogRow }) {
  const ok = row.status === 'success';
  return <span className={ok ? 'badge badge-ok' : 'badge badge-danger'}>{`${row.status} ${row.metadata?.http_status ?? ''}`.trim()}</span>;
}

/** A call to a model with no price: its cost shows $0 whatever it cost upstream. */
function UnpricedBadge({ row }: { row: SpendLogRow }) {
  if (row.metadata?.cost_source !== 'unpriced') return null;
  return (
    <>
      {' '}
      <span
        className="badge badge-warning"
        title="No price is known for this model, so this call is counted as $0. Set its prices or update the price table (Settings)."
      >
        unpriced
      </span>
    </>
  );
}

/** The model group; after a fallback the model asked for → the group that served; the upstream model under it. */
function ModelCell({ row }: { row: SpendLogRow }) {
  const routing = requestRouting(row);
  return (
    <>
      {routing.fallback ? (
        <div className="req-model" title={`${routing.requested} → served by ${routing.served} (fallback)`}>
          {routing.requested} → {routing.served} <span className="badge badge-warning">fallback</span>
        </div>
      ) : (
        <div className="req-model">{row.model_group || '—'}</div>
      )}
      {row.model && row.model !== row.model_group && <div className="cell-note">{row.model}</div>}
    </>
  );
}

function FirstRequestHint({ model }: { model: string }) {
  const base = typeof window === 'undefined' ? 'http://localhost:4000' : window.location.origin;
  const curl = `curl ${base}/v1/chat/completions \\\n  -H "Authorization: Bearer $YOUR_KEY" -H "Content-Type: application/json" \\\n  -d '{"model": "${model}", "messages": [{"role": "user", "content": "Hello"}]}'`;
  return (
    <>
      <p>Point a client at {base}/v1 with a key from the Keys page, or send one now:</p>
      <pre>
        <code>{curl}</code>
      </pre>
    </>
  );
}

export function RequestLog({ range }: { range: DateRange }) {
  const headingId = useId();
  const [filters, setFilters] = useState<RequestFilters>({});
  const [page, setPage] = useState(1);
  // A new range starts again at page 1 (React's "adjust state on a prop change" pattern, no effect needed).
  const rangeKey = `${range.start_date}/${range.end_date}`;
  const [pageRange, setPageRange] = useState(rangeKey);
  if (pageRange !== rangeKey) {
    setPageRange(rangeKey);
    setPage(1);
  }
  const [open, setOpen] = useState<SpendLogRow | null>(null);
  const logs = useSpendLogs(range, filters, page);
  const keys = useAllKeys();
  const groups = useModelGroups();

  const setFilter = (patch: Partial<RequestFilters>) => {
    setFilters((f) => {
      const next = { ...f, ...patch };
      for (const name of Object.keys(next) as (keyof RequestFilters)[]) if (!next[name]) delete next[name];
      return next;
    });
    setPage(1);
  };
  const filtered = Object.keys(filters).length > 0;
  const keyNames = new Map((keys.data?.keys ?? []).map((k) => [k.key_id, k.key_name ?? k.key_id]));
  const keyOptions = [{ value: '', label: 'All keys' }, ...(keys.data?.keys ?? []).map((k) => ({ value: k.key_id, label: keyDisplayName(k) }))];
  const modelOptions = [{ value: '', label: 'All models' }, ...(groups.data ?? []).map((g) => ({ value: g, label: g }))];
  // A filter value the lists no longer hold (a key revoked meanwhile) stays selectable, so the select shows the truth.
  if (filters.api_key && !keyOptions.some((o) => o.value === filters.api_key)) keyOptions.push({ value: filters.api_key, label: shortId(filters.api_key) });
  if (filters.model && !modelOptions.some((o) => o.value === filters.model)) modelOptions.push({ value: filters.model, label: filters.model });

  let body: ReactNode;
  if (logs.isPending) body = <Loading label="Loading requests…" />;
  else if (!logs.data) body = <ErrorState title="Could not load the requests" error={logs.error} onRetry={() => void logs.refetch()} />;
  else if (logs.data.rows.length === 0 && page === 1)
    body = filtered ? (
      <EmptyState title="No requests match these filters">Try All keys, All models or All statuses.</EmptyState>
    ) : (
      <EmptyState title="No requests in this range yet">
        <FirstRequestHint model={groups.data?.[0] ?? 'MODEL'} />
      </EmptyState>
    );
  else
    body = (
      <>
        {logs.error && <ErrorState title="Could not refresh the requests" error={logs.error} onRetry={() => void logs.refetch()} />}
        <div className="table-wrap">
          <table className="data-table requests-table" aria-labelledby={headingId}>
            <thead>
              <tr>
                <th scope="col">Time</th>
                <th scope="col">Key</th>
                <th scope="col">Model</th>
                <th scope="col">Deployment</th>
                <th scope="col" className="num">
                  Tokens
                </th>
                <th scope="col" className="num">
                  Cost
                </th>
                <th scope="col" className="num">
                  Latency
                </th>
                <th scope="col">Status</th>
                <th scope="col">
                  <span className="visually-hidden">Details</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {logs.data.rows.map((row) => (
                <tr key={row.request_id} className="clickable" onClick={() => setOpen(row)}>
                  <td className="nowrap" title={formatDateTime(row.startTime)}>
                    {formatRelative(row.startTime)}
                  </td>
                  <td className={row.key_alias ? undefined : 'mono nowrap'} title={row.api_key || undefined}>
                    {requestKeyName(row, keyNames)}
                  </td>
                  <td>
                    <ModelCell row={row} />
                  </td>
                  <td className="mono" title={row.model_id || undefined}>
                    {shortId(row.model_id)}
                  </td>
                  <td className="num nowrap" title="prompt / completion">
                    {formatNumber(row.prompt_tokens)} / {formatNumber(row.completion_tokens)}
                  </td>
                  <td className="num">
                    {formatUsd(row.spend)}
                    <UnpricedBadge row={row} />
                  </td>
                  <td className="num">{formatMs(row.request_duration_ms)}</td>
                  <td>
                    <StatusBadge row={row} />
                  </td>
                  <td>
                    <button
                      type="button"
                      className="button small details-button"
                      onClick={(event) => {
                        event.stopPropagation();
                        setOpen(row);
                      }}
                    >
                      Details
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        <div className="row requests-footer">
          <span className="muted">{formatCount(logs.data.total, 'request')}</span>
          <span className="spacer" />
          <Pager page={page} totalPages={logs.data.totalPages} onPage={setPage} busy={logs.isFetching} />
        </div>
      </>
    );

  return (
    <section className="card requests-card" aria-labelledby={headingId}>
      <h2 id={headingId}>Requests</h2>
      <div className="toolbar requests-filters">
        <SelectField label="Key" options={keyOptions} value={filters.api_key ?? ''} onChange={(e) => setFilter({ api_key: e.currentTarget.value })} />
        <SelectField label="Model" options={modelOptions} value={filters.model ?? ''} onChange={(e) => setFilter({ model: e.currentTarget.value })} />
        <SelectField
          label="Status"
          options={STATUSES}
          value={filters.status ?? ''}
          onChange={(e) => setFilter({ status: (e.currentTarget.value || undefined) as RequestFilters['status'] })}
        />
      </div>
      {body}
      <RequestDetails row={open} onClose={() => setOpen(null)} />
    </section>
  );
}
