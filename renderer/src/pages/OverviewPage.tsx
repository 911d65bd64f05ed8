/** Overview: is the gateway up, where clients reach it, what it is doing today, and how to connect a client. */
import type { ReactNode } from 'react';
import { useOverview } from '../api/overview.ts';
import type { Overview } from '../api/types.ts';
import { CopyButton } from '../components/CopyButton.tsx';
import { formatCount, formatNumber, formatPercent, formatUsd } from '../components/format.ts';
import { PageHeader } from '../components/PageHeader.tsx';
import { QueryState } from '../components/StateViews.tsx';
import { ConnectClient } from './overview/ConnectClient.tsx';

/** "42 s", "5 min", "3 h 12 min", "2 d 4 h". */
export function formatUptime(seconds: number): string {
  const s = Math.max(0, Math.floor(seconds));
  if (s < 60) return `${s} s`;
  const min = Math.floor(s / 60);
  if (min < 60) return `${min} min`;
  const h = Math.floor(min / 60);
  if (h < 24) return min % 60 ? `${h} h ${min % 60} min` : `${h} h`;
  const d = Math.floor(h / 24);
  return h % 24 ? `${d} d ${h % 24} h` : `${d} d`;
}

function Stat({ label, value, detail }: { label: string; value: ReactNode; detail?: ReactNode }) {
  return (
    <div className="card stat">
      <span className="stat-label">{label}</span>
      <span className="stat-value">{value}</span>
      {detail && <span className="muted stat-detail">{detail}</span>}
    </div>
  );
}

function Stats({ overview: o }: { overview: Overview }) {
  const d = o.deployments;
  const others = [d.cooling ? `${d.cooling} cooling down` : '', d.unknown ? `${d.unknown} not yet called` : ''].filter(Boolean).join(', ');
  return (
    <>
      <section className="card overview-base" aria-label="Gateway">
        <div className="stat">
          <span className="stat-label">State</span>
          <span className="stat-value">
            <span className="badge badge-ok">{o.status === 'running' ? 'Running' : o.status}</span>
          </span>
        </div>
        <div className="stat overview-url">
          <span className="stat-label">Base URL</span>
          <span className="row">
            <code className="overview-url-value">{o.base_url}</code>
            <CopyButton text={o.base_url} label="Copy base URL" className="button small" />
          </span>
          <span className="muted stat-detail">
            OpenAI clients: <code>{o.base_url.replace(/\/+$/, '')}/v1</code>
          </span>
        </div>
        <div className="stat">
          <span className="stat-label">Version</span>
          <span className="stat-value">{o.version}</span>
          <span className="muted stat-detail">up {formatUptime(o.uptime_s)}</span>
        </div>
      </section>
      <section className="grid" aria-label="Today">
        <Stat label="Requests/min" value={formatNumber(o.requests_per_minute)} detail="in the last 60 seconds" />
        <Stat label="Spend today" value={formatUsd(o.today.spend)} detail={`${formatCount(o.today.requests, 'request')} since 00:00 UTC`} />
        <Stat
          label="Error rate today"
          value={o.today.requests ? formatPercent(o.today.error_rate) : '—'}
          detail={o.today.requests ? `${formatNumber(o.today.errors)} of ${formatCount(o.today.requests, 'request')} failed` : 'no requests yet today'}
        />
        <Stat
          label="Deployments"
          value={
            <span className="overview-deployments">
              <span className={d.healthy ? 'overview-ok' : undefined}>{d.healthy} healthy</span>
              {' / '}
              <span className={d.unhealthy ? 'overview-danger' : undefined}>{d.unhealthy} unhealthy</span>
            </span>
          }
          detail={d.total === 0 ? 'no deployments configured' : others || `${d.total} in all`}
        />
      </section>
    </>
  );
}

export function OverviewPage() {
  const query = useOverview();
  return (
    <>
      <PageHeader title="Overview" description="The gateway at a glance; figures refresh every 5 seconds." />
      <QueryState query={query}>
        {(overview) => (
          <>
            <Stats overview={overview} />
            <ConnectClient baseUrl={overview.base_url} models={overview.models} />
          </>
        )}
      </QueryState>
    </>
  );
}
