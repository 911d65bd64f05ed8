/** Settings: where the gateway listens and keeps its files, the master key, config.yaml out and in, prices, desktop options. */
import { useSettings } from '../api/settings.ts';
import type { GatewaySettings } from '../api/types.ts';
import { CopyButton } from '../components/CopyButton.tsx';
import { PageHeader } from '../components/PageHeader.tsx';
import { QueryState } from '../components/StateViews.tsx';
import { desktopBridge } from '../desktop-bridge.ts';
import { ConfigFileCard } from './settings/ConfigFileCard.tsx';
import { DesktopCard } from './settings/DesktopCard.tsx';
import { MasterKeyCard } from './settings/MasterKeyCard.tsx';
import { PriceTableCard } from './settings/PriceTableCard.tsx';

const STORE_NAMES: Record<GatewaySettings['secret_store']['kind'], string> = {
  keychain: 'OS keychain',
  file: 'Encrypted file',
  memory: 'Memory only',
};

function GatewayCard({ settings: s }: { settings: GatewaySettings }) {
  return (
    <section className="card" aria-labelledby="settings-gateway">
      <h2 id="settings-gateway">Gateway</h2>
      <dl className="settings-list">
        <dt>Host</dt>
        <dd>
          <code>{s.host}</code>
        </dd>
        <dt>Port</dt>
        <dd>
          <code>{s.port}</code>
        </dd>
        <dt>Base URL</dt>
        <dd className="row">
          <code>{s.base_url}</code>
          <CopyButton text={s.base_url} label="Copy base URL" className="button small" />
        </dd>
        <dt>Version</dt>
        <dd>{s.version}</dd>
        <dt>Data directory</dt>
        <dd>{s.data_dir ? <code className="settings-path">{s.data_dir}</code> : <span className="muted">none (nothing is kept between runs)</span>}</dd>
        <dt>Config file</dt>
        <dd>
          {s.config_path ? (
            <code className="settings-path">{s.config_path}</code>
          ) : (
            <span className="muted">none: started with --model, so models and routing cannot be edited here</span>
          )}
        </dd>
      </dl>
      <p className="muted">Host and port are set when the gateway starts (--host, --port).</p>
    </section>
  );
}

function SecretStoreCard({ store }: { store: GatewaySettings['secret_store'] }) {
  return (
    <section className="card" aria-labelledby="settings-secrets">
      <h2 id="settings-secrets">Secret store</h2>
      <dl className="settings-list">
        <dt>Kind</dt>
        <dd>{STORE_NAMES[store.kind] ?? store.kind}</dd>
      </dl>
      <p>{store.description}</p>
      {store.weaker_protection && (
        <p className="settings-callout settings-callout-warning" role="note">
          <strong>Weaker protection:</strong> provider API keys are not in an OS keychain here. Anyone who can read this account's files (or this process's
          memory) may be able to recover them.
        </p>
      )}
    </section>
  );
}

export function SettingsPage() {
  const query = useSettings();
  const bridge = desktopBridge();
  return (
    <>
      <PageHeader title="Settings" />
      <QueryState query={query}>
        {(settings) => (
          <div className="settings-grid">
            {/* Pairs of cards side by side (where things live; keys and config), then the wide ones, one row each. */}
            <GatewayCard settings={settings} />
            <SecretStoreCard store={settings.secret_store} />
            <MasterKeyCard masterKey={settings.master_key} store={settings.secret_store.kind} />
            <ConfigFileCard configPath={settings.config_path} />
            <PriceTableCard />
            {bridge && <DesktopCard bridge={bridge} />}
          </div>
        )}
      </QueryState>
    </>
  );
}
