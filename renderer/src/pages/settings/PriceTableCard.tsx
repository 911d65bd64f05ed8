/**
 * The price table (GET/POST/DELETE /admin/prices): which table prices calls (the bundled copy or an update),
 * how many models it prices, the deployments nothing prices, and the three ways to change it — fetch a URL
 * (LiteLLM's cost map by default), upload a file, or go back to the bundled table. The gateway checks a table
 * before it replaces anything; its refusal is shown here, under the buttons.
 */
import { useId, useRef, useState, type ChangeEvent } from 'react';
import { usePriceTable, useRevertPrices, useUpdatePrices } from '../../api/prices.ts';
import type { PriceTableStatus } from '../../api/types.ts';
import { TextField } from '../../components/Field.tsx';
import { formatDateTime, formatNumber } from '../../components/format.ts';
import { ErrorState, Loading, errorMessage } from '../../components/StateViews.tsx';
import { useToast } from '../../components/Toasts.tsx';
import { readText } from './read-text.ts';

function UnpricedList({ status }: { status: PriceTableStatus }) {
  if (status.unpriced_deployments.length === 0) return null;
  return (
    <div className="settings-callout settings-callout-warning" role="note" aria-label="Unpriced deployments">
      <strong>No price for:</strong>
      <ul>
        {status.unpriced_deployments.map((d) => (
          <li key={d.id}>
            {d.model_name} <span className="muted">({d.model})</span>
          </li>
        ))}
      </ul>
      Their calls count $0 and keys with a budget are refused them. Update the table, or set the deployment's input_cost_per_token / output_cost_per_token on
      the Models page.
    </div>
  );
}

function PriceTableDetails({ status }: { status: PriceTableStatus }) {
  const { notify } = useToast();
  const update = useUpdatePrices();
  const revert = useRevertPrices();
  const [url, setUrl] = useState(status.default_url);
  const [localError, setLocalError] = useState<string>();
  const fileId = useId();
  const fileRef = useRef<HTMLInputElement>(null);
  const busy = update.isPending || revert.isPending;
  const error = localError ?? (update.error ? errorMessage(update.error) : revert.error ? errorMessage(revert.error) : undefined);

  const done = (what: string) => (next: PriceTableStatus) => notify(`${what}: ${formatNumber(next.models)} models priced`, 'success');
  const start = () => {
    setLocalError(undefined);
    update.reset();
    revert.reset();
  };

  const fromUrl = () => {
    start();
    update.mutate({ url: url.trim() }, { onSuccess: done('Price table updated') });
  };

  const onFile = async (event: ChangeEvent<HTMLInputElement>) => {
    const file = event.target.files?.[0];
    // Cleared at once, so choosing the same file again (after fixing it) reads it again.
    event.target.value = '';
    if (!file) return;
    start();
    let table: unknown;
    try {
      table = JSON.parse(await readText(file));
    } catch (err) {
      setLocalError(`${file.name} is not a JSON price table: ${errorMessage(err)}`);
      return;
    }
    if (typeof table !== 'object' || table === null || Array.isArray(table)) {
      setLocalError(`${file.name} is not a JSON object of model name → prices.`);
      return;
    }
    update.mutate({ table: table as Record<string, unknown> }, { onSuccess: done('Price table updated') });
  };

  const toBundled = () => {
    start();
    revert.mutate(undefined, { onSuccess: done('Back to the bundled price table') });
  };

  return (
    <>
      <dl className="settings-list">
        <dt>Source</dt>
        <dd>{status.source === 'updated' ? 'Updated' : 'Bundled'}</dd>
        <dt>Models priced</dt>
        <dd>{formatNumber(status.models)}</dd>
        <dt>Updated</dt>
        <dd>{status.updated_at ? formatDateTime(status.updated_at) : '—'}</dd>
        <dt>From</dt>
        <dd>
          <code className="settings-path">{status.from}</code>
        </dd>
      </dl>
      <UnpricedList status={status} />
      <p className="muted">
        A deployment's own prices (input_cost_per_token, output_cost_per_token in its litellm_params or model_info) take precedence over this table. A table
        must price at least {formatNumber(status.min_models)} models, every price a number ≥ 0.
        {!status.persistent && ' This gateway has no data directory: an update lasts until it stops.'}
      </p>
      {status.updatable ? (
        <div className="settings-stack">
          <TextField label="Price table URL" type="url" value={url} onChange={(e) => setUrl(e.currentTarget.value)} disabled={busy} />
          <div className="row">
            <button type="button" className="button" onClick={fromUrl} disabled={busy || url.trim() === ''}>
              {update.isPending && update.variables?.url ? 'Updating…' : 'Update from URL'}
            </button>
            <span className="settings-file-button">
              <input ref={fileRef} id={fileId} type="file" accept=".json,application/json" className="settings-file-input" onChange={onFile} disabled={busy} />
              <label htmlFor={fileId} className="button">
                Upload file
              </label>
            </span>
            <button type="button" className="button" onClick={toBundled} disabled={busy || status.source === 'bundled'}>
              {revert.isPending ? 'Reverting…' : 'Revert to bundled'}
            </button>
          </div>
          {error && (
            <p className="field-error" role="alert">
              {error}
            </p>
          )}
        </div>
      ) : (
        <p className="muted">This gateway was started with a fixed price table; it cannot be updated here.</p>
      )}
    </>
  );
}

export function PriceTableCard() {
  const query = usePriceTable();
  return (
    <section className="card settings-wide" aria-labelledby="settings-prices">
      <h2 id="settings-prices">Price table</h2>
      {query.data ? (
        <PriceTableDetails status={query.data} />
      ) : query.isPending ? (
        <Loading label="Loading the price table…" />
      ) : (
        <ErrorState title="Could not load the price table" error={query.error} onRetry={() => void query.refetch()} />
      )}
    </section>
  );
}
