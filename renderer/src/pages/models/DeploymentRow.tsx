/**
 * One deployment: what it calls (upstream model, URL, key as the API shows it — masked or a reference), its
 * limits, its health (state, success rate, p50, last error, a live cooldown countdown) and its actions.
 */
import { useEffect, useState } from 'react';
import { ApiError } from '../../api/client.ts';
import { useTestDeployment } from '../../api/models.ts';
import type { DeploymentHealth, DeploymentTestResult, HealthState, ModelEntry } from '../../api/types.ts';
import { formatDateTime, formatMs, formatNumber, formatPercent, formatRelative } from '../../components/format.ts';
import { errorMessage } from '../../components/StateViews.tsx';

const BADGE: Record<HealthState, string> = { healthy: 'badge-ok', cooling: 'badge-warning', failing: 'badge-danger', unknown: 'badge-muted' };

/** Date.now(), refreshed every second while `active`. */
export function useNow(active: boolean): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!active) return;
    setNow(Date.now());
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, [active]);
  return now;
}

function Countdown({ seconds, fetchedAt }: { seconds: number; fetchedAt: number }) {
  const now = useNow(seconds > 0);
  const left = Math.max(0, seconds - Math.floor((now - fetchedAt) / 1000));
  return <>{left > 0 ? `cooling ${left} s` : 'cooling'}</>;
}

export function HealthBadge({ health, fetchedAt }: { health: DeploymentHealth | undefined; fetchedAt: number }) {
  if (!health) return <span className="badge badge-muted">unknown</span>;
  return (
    <span className={`badge ${BADGE[health.state]}`} title={health.state === 'cooling' ? 'Left out by the router until the cooldown ends' : undefined}>
      {health.state === 'cooling' ? <Countdown seconds={health.cooldown_remaining_s} fetchedAt={fetchedAt} /> : health.state}
    </span>
  );
}

const str = (value: unknown): string | undefined => (value === undefined || value === null || value === '' ? undefined : String(value));

function Limits({ params }: { params: Record<string, unknown> }) {
  const parts = [
    str(params.rpm) && `RPM ${formatNumber(Number(params.rpm))}`,
    str(params.tpm) && `TPM ${formatNumber(Number(params.tpm))}`,
    str(params.timeout) && `timeout ${str(params.timeout)} s`,
  ].filter(Boolean);
  if (parts.length === 0) return <span className="muted">—</span>;
  return (
    <ul className="deployment-cell-list">
      {parts.map((p) => (
        <li key={p as string}>{p}</li>
      ))}
    </ul>
  );
}

/** A deployment nothing prices: its calls count $0, and keys with a budget are refused it. */
function NoPriceFlag({ entry }: { entry: ModelEntry }) {
  if (entry.model_info.cost_source !== 'unpriced') return null;
  return (
    <div className="deployment-cell-detail" role="note" aria-label="No price">
      <span className="badge badge-warning">no price</span>{' '}
      <span className="muted">
        set <code>input_cost_per_token</code> / <code>output_cost_per_token</code> (Edit), or update the price table in Settings. Until then its calls count $0
        and keys with a budget are refused it.
      </span>
    </div>
  );
}

function TestOutcome({ result, error, pending }: { result: DeploymentTestResult | undefined; error: unknown; pending: boolean }) {
  if (pending) {
    return (
      <div className="test-result" role="status">
        Testing…
      </div>
    );
  }
  if (error) {
    const text = error instanceof ApiError && error.status ? `Failed · HTTP ${error.status} · ${error.message}` : `Failed · ${errorMessage(error)}`;
    return (
      <div className="test-result test-failed" role="status">
        {text}
      </div>
    );
  }
  if (!result) return null;
  if (result.ok) {
    return (
      <div className="test-result test-ok" role="status">
        <strong>{`OK · ${Math.round(result.latency_ms)} ms`}</strong>
        {result.reply && <span className="test-reply">{` · “${result.reply}”`}</span>}
      </div>
    );
  }
  return (
    <div className="test-result test-failed" role="status">
      {`Failed · HTTP ${result.status} · ${result.error.message}`}
    </div>
  );
}

const When = ({ at }: { at: string }) => (
  <time dateTime={at} title={formatDateTime(at)}>
    {formatRelative(at)}
  </time>
);

/** The last failed call from client traffic; else a failed active check (Test, /health, background checks). */
function LastError({ health }: { health: DeploymentHealth | undefined }) {
  const error = health?.last_error;
  if (error) {
    return (
      <>
        <div>{error.message}</div>
        <div className="muted">
          HTTP {error.status} · <When at={error.at} />
        </div>
      </>
    );
  }
  const check = health?.last_check;
  if (check?.status === 'unhealthy') {
    return (
      <>
        <div>{check.error ?? 'Health check failed'}</div>
        <div className="muted">
          health check · <When at={check.at} />
        </div>
      </>
    );
  }
  return <span className="muted">—</span>;
}

export function DeploymentRow({
  entry,
  health,
  fetchedAt,
  windowSeconds,
  healthPending,
  onEdit,
  onDelete,
}: {
  entry: ModelEntry;
  health: DeploymentHealth | undefined;
  fetchedAt: number;
  /** The health window (the last 5 minutes). */
  windowSeconds: number;
  healthPending: boolean;
  /** Undefined when the form cannot edit this deployment (a provider it does not know). */
  onEdit: (() => void) | undefined;
  onDelete: () => void;
}) {
  const test = useTestDeployment();
  const params = entry.litellm_params;
  const key = str(params.api_key);
  const apiBase = str(params.api_base ?? params.base_url) ?? health?.api_base ?? undefined;
  const upstream = params.model;
  const isMock = health ? health.model.startsWith('mock/') : upstream.startsWith('mock/');
  return (
    <tr aria-label={`${entry.model_name} ${upstream}`}>
      <td>
        <code className="deployment-model">{upstream}</code>
        <div className="deployment-cell-detail">
          <span className="muted">URL </span>
          {apiBase ? <span className="mono models-break">{apiBase}</span> : <span className="muted">{isMock ? 'built-in, offline' : 'provider default'}</span>}
        </div>
        {(key || !isMock) && (
          <div className="deployment-cell-detail">
            <span className="muted">Key </span>
            {key ? <code className="models-break">{key}</code> : <span className="muted">none</span>}
          </div>
        )}
        <NoPriceFlag entry={entry} />
      </td>
      <td>
        <Limits params={params} />
      </td>
      <td>
        {healthPending ? (
          <span className="muted">…</span>
        ) : (
          <>
            <HealthBadge health={health} fetchedAt={fetchedAt} />
            {health && (
              <ul className="deployment-cell-list">
                <li>Success {formatPercent(health.success_rate)}</li>
                <li>p50 {formatMs(health.latency_p50_ms)}</li>
                <li className="muted">{`${formatNumber(health.requests)} ${health.requests === 1 ? 'call' : 'calls'} in ${Math.round(windowSeconds / 60)} min`}</li>
                {health.last_check && (
                  <li className="muted">
                    checked <When at={health.last_check.at} />
                  </li>
                )}
              </ul>
            )}
          </>
        )}
      </td>
      <td className="last-error">
        <LastError health={health} />
      </td>
      <td className="deployment-actions">
        <div className="row">
          <button type="button" className="button small" disabled={test.isPending} onClick={() => test.mutate(entry.model_info.id)}>
            Test
          </button>
          <button
            type="button"
            className="button small"
            disabled={!onEdit}
            title={onEdit ? undefined : 'This provider is not one the form knows; edit it in config.yaml.'}
            onClick={onEdit}
          >
            Edit
          </button>
          <button type="button" className="button small danger" onClick={onDelete}>
            Delete
          </button>
        </div>
        <TestOutcome result={test.data} error={test.error} pending={test.isPending} />
      </td>
    </tr>
  );
}
