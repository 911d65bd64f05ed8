/**
 * The master key: masked, where it comes from, and its rotation. The new key is shown once, in the dialog that
 * made it; closing the dialog forgets it. The dashboard's session moves to the new key at once.
 */
import { useState } from 'react';
import { useRotateMasterKey } from '../../api/settings.ts';
import type { GatewaySettings } from '../../api/types.ts';
import { SecretReveal } from '../../components/SecretReveal.tsx';
import { Dialog } from '../../components/Dialog.tsx';
import { errorMessage } from '../../components/StateViews.tsx';

const STORES: Record<GatewaySettings['secret_store']['kind'], string> = {
  keychain: 'the OS keychain',
  file: 'the encrypted secrets file',
  memory: 'memory only (lost when the gateway stops)',
};

function keptIn(source: GatewaySettings['master_key']['source'], store: GatewaySettings['secret_store']['kind']): string {
  if (source === 'keychain') return `the secret store: ${STORES[store] ?? store} (config.yaml refers to it)`;
  if (source === 'config') return 'config.yaml (general_settings.master_key)';
  if (source === 'env') return 'the environment (LITELLM_MASTER_KEY)';
  return 'not set';
}

function whyNotRotatable(source: GatewaySettings['master_key']['source']): string {
  if (source === 'env') return 'The master key comes from the LITELLM_MASTER_KEY environment variable: change it there and restart the gateway.';
  if (source === 'none') return 'No master key is set.';
  return 'This gateway cannot rotate its master key from the dashboard.';
}

export function MasterKeyCard({ masterKey, store }: { masterKey: GatewaySettings['master_key']; store: GatewaySettings['secret_store']['kind'] }) {
  const [open, setOpen] = useState(false);
  const rotate = useRotateMasterKey();
  const close = () => {
    setOpen(false);
    rotate.reset();
  };
  const newKey = rotate.data?.master_key;
  return (
    <section className="card" aria-labelledby="settings-master-key">
      <h2 id="settings-master-key">Master key</h2>
      <dl className="settings-list">
        <dt>Key</dt>
        <dd>
          <code>{masterKey.masked ?? '—'}</code>
        </dd>
        <dt>Kept in</dt>
        <dd>{keptIn(masterKey.source, store)}</dd>
      </dl>
      <p className="muted">The dashboard and admin API use the master key; clients should use virtual keys from the Keys page.</p>
      <div className="row">
        <button type="button" className="button danger" disabled={!masterKey.rotatable} onClick={() => setOpen(true)}>
          Rotate master key
        </button>
        {!masterKey.rotatable && <span className="muted">{whyNotRotatable(masterKey.source)}</span>}
      </div>
      <Dialog title="Rotate master key" open={open} onClose={close}>
        {newKey ? (
          <SecretReveal
            secret={newKey}
            label="New master key"
            onDone={close}
            intro="The old master key no longer works. This dashboard already uses the new one."
            warning="Copy it now: it will not be shown again. Update every client and script that used the old one."
          />
        ) : (
          <div className="settings-stack">
            <p>
              A new master key replaces <code>{masterKey.masked ?? 'the current key'}</code> at once. Every client, script or tool that uses the master key must
              be updated with the new one; virtual keys keep working.
            </p>
            {rotate.error && (
              <p className="field-error" role="alert">
                {errorMessage(rotate.error)}
              </p>
            )}
            <div className="form-actions">
              <button type="button" className="button" onClick={close}>
                Cancel
              </button>
              <button type="button" className="button danger" disabled={rotate.isPending} onClick={() => rotate.mutate()}>
                {rotate.isPending ? 'Rotating…' : 'Rotate'}
              </button>
            </div>
          </div>
        )}
      </Dialog>
    </section>
  );
}
