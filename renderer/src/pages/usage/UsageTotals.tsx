/** The range's totals (GET /admin/usage/summary): spend, requests, tokens, error rate, latency. */
import type { ReactNode } from 'react';
import { useUsageSummary, type DateRange } from '../../api/usage.ts';
import { ErrorState, Loading } from '../../components/StateViews.tsx';
import { formatMs, formatNumber, formatPercent, formatUsd } from '../../components/format.ts';

function Stat({ label, value, note }: { label: string; value: string; note?: ReactNode }) {
  return (
    <div className="card stat" role="group" aria-label={label}>
      <span className="stat-label">{label}</span>
      <span className="stat-value">{value}</span>
      {note && <span className="stat-note">{note}</span>}
    </div>
  );
}

/** What the spend leaves out or guesses: calls to models with no price (counted as $0), estimated usage. */
function spendNote(estimated: number, unpriced: number): ReactNode {
  const notes = [
    unpriced > 0 && (
      <span key="unpriced" className="stat-warning" title="Calls to models with no price count as $0 here. See Settings → Price table.">
        {`${formatNumber(unpriced)} unpriced ($0)`}
      </span>
    ),
    estimated > 0 && <span key="estimated">{`${formatNumber(estimated)} with estimated usage`}</span>,
  ].filter(Boolean);
  if (notes.length === 0) return undefined;
  return notes.flatMap((note, i) => (i === 0 ? [note] : [' · ', note]));
}

export function UsageTotals({ range }: { range: DateRange }) {
  const summary = useUsageSummary(range);
  if (summary.isPending) return <Loading label="Loading totals…" />;
  if (!summary.data) return <ErrorState title="Could not load the totals" error={summary.error} onRetry={() => void summary.refetch()} />;
  const s = summary.data;
  return (
    <div className="grid usage-totals">
      <Stat label="Spend" value={formatUsd(s.spend)} note={spendNote(s.estimated_requests, s.unpriced_requests)} />
      <Stat label="Requests" value={formatNumber(s.requests)} note={`${formatNumber(s.successful_requests)} ok · ${formatNumber(s.failed_requests)} failed`} />
      <Stat
        label="Tokens"
        value={formatNumber(s.total_tokens)}
        note={`${formatNumber(s.prompt_tokens)} in · ${formatNumber(s.completion_tokens)} out${s.cached_tokens ? ` · ${formatNumber(s.cached_tokens)} cached` : ''}`}
      />
      <Stat label="Error rate" value={s.requests === 0 ? '—' : formatPercent(s.error_rate)} />
      <Stat label="Avg latency" value={formatMs(s.avg_duration_ms)} note={s.avg_ttft_ms !== null ? `first token ${formatMs(s.avg_ttft_ms)}` : undefined} />
    </div>
  );
}
