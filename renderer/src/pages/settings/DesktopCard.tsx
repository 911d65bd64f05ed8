/** The desktop app's own settings, shown only in the Electron window (the preload's bridge is there). */
import { useDesktopSettings, useSetDesktopSettings, type DesktopSettings } from '../../api/settings.ts';
import { CheckboxField } from '../../components/Field.tsx';
import { ErrorState, Loading, errorMessage } from '../../components/StateViews.tsx';
import { useToast } from '../../components/Toasts.tsx';
import type { DesktopBridge } from '../../desktop-bridge.ts';

export function DesktopCard({ bridge }: { bridge: DesktopBridge }) {
  const query = useDesktopSettings();
  const save = useSetDesktopSettings();
  const { notify } = useToast();
  const change = (patch: Partial<DesktopSettings>) =>
    save.mutate(patch, { onError: (error) => notify(`Could not change the desktop settings: ${errorMessage(error)}`, 'error') });
  const openLogs = async () => {
    try {
      await bridge.revealLogsFolder();
    } catch (error) {
      notify(`Could not open the logs folder: ${errorMessage(error)}`, 'error');
    }
  };
  return (
    <section className="card settings-wide" aria-labelledby="settings-desktop">
      <h2 id="settings-desktop">Desktop</h2>
      {query.isPending ? (
        <Loading />
      ) : query.error || !query.data ? (
        <ErrorState error={query.error ?? new Error('No answer from the desktop app')} onRetry={() => void query.refetch()} />
      ) : (
        <div className="settings-stack">
          <CheckboxField label="Start at login" checked={query.data.startAtLogin} onChange={(e) => change({ startAtLogin: e.target.checked })} />
          <CheckboxField
            label="Start proxy when the app opens"
            checked={query.data.startProxyOnOpen}
            onChange={(e) => change({ startProxyOnOpen: e.target.checked })}
          />
        </div>
      )}
      <div className="row">
        <button type="button" className="button" onClick={() => void openLogs()}>
          Open logs folder
        </button>
      </div>
    </section>
  );
}
