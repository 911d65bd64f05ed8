/** The keys table: one <tr> per key, with spend against budget, expiry, limits, last use and its actions. */
import { keyDisplayName } from '../../api/keys.ts';
import type { KeyObject } from '../../api/types.ts';
import { Meter } from '../../components/Meter.tsx';
import { formatDateTime, formatNumber, formatRelative, formatUsd } from '../../components/format.ts';
import { budgetPeriodLabel } from './key-form.ts';

/** "$0.0123 of $5.00", or just the spend without a budget. */
export function spendText(key: Pick<KeyObject, 'spend' | 'max_budget'>): string {
  return key.max_budget === null ? formatUsd(key.spend) : `${formatUsd(key.spend)} of ${formatUsd(key.max_budget)}`;
}

function SpendCell({ keyObject: k, now }: { keyObject: KeyObject; now: number }) {
  const period = budgetPeriodLabel(k.budget_duration);
  return (
    <>
      <Meter value={k.spend} max={k.max_budget} label={`Spend of ${keyDisplayName(k)}`} text={spendText(k)} />
      {period && (
        <div className="cell-note" title={k.budget_reset_at ? `Resets ${formatDateTime(k.budget_reset_at)}` : undefined}>
          {period}
          {k.budget_reset_at && (
            <>
              {' · '}
              <span className="nowrap">resets {formatRelative(k.budget_reset_at, now)}</span>
            </>
          )}
        </div>
      )}
      {k.total_spend > k.spend && <div className="cell-note">{formatUsd(k.total_spend)} all time</div>}
    </>
  );
}

function ExpiresCell({ expires, now }: { expires: string | null; now: number }) {
  if (!expires) return <span className="muted">Never</span>;
  const at = new Date(expires).getTime();
  if (at <= now)
    return (
      <span className="badge badge-danger" title={formatDateTime(expires)}>
        Expired {formatRelative(expires, now)}
      </span>
    );
  return <span title={formatDateTime(expires)}>{formatRelative(expires, now)}</span>;
}

function limitsText(k: KeyObject): string {
  const parts = [
    k.rpm_limit !== null ? `${formatNumber(k.rpm_limit)} RPM` : null,
    k.tpm_limit !== null ? `${formatNumber(k.tpm_limit)} TPM` : null,
    k.max_parallel_requests !== null ? `${formatNumber(k.max_parallel_requests)} parallel` : null,
  ].filter(Boolean);
  return parts.length ? parts.join(' · ') : 'None';
}

export interface KeyActions {
  onEdit(key: KeyObject): void;
  onRotate(key: KeyObject): void;
  onRevoke(key: KeyObject): void;
}

export function KeyTable({ keys, actions, now = Date.now() }: { keys: KeyObject[]; actions: KeyActions; now?: number }) {
  return (
    <div className="table-wrap">
      <table className="data-table keys-table">
        <thead>
          <tr>
            <th scope="col">Alias</th>
            <th scope="col">Models</th>
            <th scope="col">Spend</th>
            <th scope="col">Expires</th>
            <th scope="col">Limits</th>
            <th scope="col">Last used</th>
            <th scope="col">Actions</th>
          </tr>
        </thead>
        <tbody>
          {keys.map((k) => {
            const name = keyDisplayName(k);
            return (
              <tr key={k.token}>
                <td>
                  <div className={k.key_alias ? 'key-alias' : 'key-alias mono'}>{name}</div>
                  {k.key_alias && k.key_name && <div className="cell-note mono">{k.key_name}</div>}
                  {k.blocked && <span className="badge badge-danger">Blocked</span>}
                </td>
                <td>{k.models.length === 0 ? <span className="muted">All models</span> : <span className="key-model-list">{k.models.join(', ')}</span>}</td>
                <td>
                  <SpendCell keyObject={k} now={now} />
                </td>
                <td>
                  <ExpiresCell expires={k.expires} now={now} />
                </td>
                <td className="nowrap">{limitsText(k)}</td>
                <td className="nowrap" title={k.last_active ? formatDateTime(k.last_active) : undefined}>
                  {k.last_active ? formatRelative(k.last_active, now) : <span className="muted">Never</span>}
                </td>
                <td>
                  <div className="row-actions">
                    <button type="button" className="button small" aria-label={`Edit ${name}`} onClick={() => actions.onEdit(k)}>
                      Edit
                    </button>
                    <button type="button" className="button small" aria-label={`Rotate ${name}`} onClick={() => actions.onRotate(k)}>
                      Rotate
                    </button>
                    <button type="button" className="button small danger" aria-label={`Revoke ${name}`} onClick={() => actions.onRevoke(k)}>
                      Revoke
                    </button>
                  </div>
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
