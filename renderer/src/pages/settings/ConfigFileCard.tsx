/**
 * config.yaml out and in. Export downloads the running config with secrets as references. Import sends the
 * chosen file for a dry run first, shows what would change (summary and unified diff) and applies it only when
 * asked; a file the gateway rejects shows its message and the list of issues, and cannot be applied.
 */
import { useRef, useState, type ChangeEvent } from 'react';
import { importIssues, useExportConfig, useImportConfig, type ImportIssue } from '../../api/settings.ts';
import type { ConfigImportResult } from '../../api/types.ts';
import { Dialog } from '../../components/Dialog.tsx';
import { Loading, errorMessage } from '../../components/StateViews.tsx';
import { useToast } from '../../components/Toasts.tsx';
import { DiffView } from './DiffView.tsx';
import { readText } from './read-text.ts';

interface Chosen {
  name: string;
  yaml: string;
}

function IssueList({ issues }: { issues: ImportIssue[] }) {
  if (!issues.length) return null;
  return (
    <ul className="settings-issues" aria-label="Issues">
      {issues.map((issue, i) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: the issues come as one list per answer, never reordered
        <li key={i}>
          {issue.path && <code>{issue.path}</code>}
          {issue.line !== undefined && <span className="muted"> (line {issue.line})</span>}
          {issue.path || issue.line !== undefined ? ': ' : ''}
          {issue.message}
        </li>
      ))}
    </ul>
  );
}

function ChangeSummary({ changes }: { changes: ConfigImportResult['changes'] }) {
  const rows: [string, string[]][] = [
    ['Models added', changes.models_added],
    ['Models removed', changes.models_removed],
    ['Models changed', changes.models_changed],
    ['Settings changed', changes.settings_changed],
  ];
  const shown = rows.filter(([, list]) => list.length > 0);
  if (!shown.length) return null;
  return (
    <dl className="settings-list change-summary">
      {shown.map(([label, list]) => (
        <div key={label} className="settings-list-row">
          <dt>{label}</dt>
          <dd>{list.join(', ')}</dd>
        </div>
      ))}
    </dl>
  );
}

export function ConfigFileCard({ configPath }: { configPath: string | null }) {
  const { notify } = useToast();
  const exporter = useExportConfig();
  const importer = useImportConfig();
  const [chosen, setChosen] = useState<Chosen>();
  const [readError, setReadError] = useState<string>();
  /** The dry run's answer, kept while Apply runs (the mutation then holds the apply call's state). */
  const [preview, setPreview] = useState<ConfigImportResult>();
  const inputRef = useRef<HTMLInputElement>(null);

  const exportConfig = () =>
    exporter.mutate(undefined, {
      onSuccess: () => notify('config.yaml downloaded', 'success'),
      onError: (error) => notify(`Could not export config.yaml: ${errorMessage(error)}`, 'error'),
    });

  const onFile = async (event: ChangeEvent<HTMLInputElement>) => {
    const file = event.target.files?.[0];
    // Cleared at once, so choosing the same file again (after editing it) reads it again.
    event.target.value = '';
    if (!file) return;
    setReadError(undefined);
    setPreview(undefined);
    importer.reset();
    let yaml: string;
    try {
      yaml = await readText(file);
    } catch (error) {
      setReadError(`Could not read ${file.name}: ${errorMessage(error)}`);
      return;
    }
    setChosen({ name: file.name, yaml });
    importer.mutate({ yaml, apply: false }, { onSuccess: (result) => setPreview(result) });
  };

  const close = () => {
    setChosen(undefined);
    setPreview(undefined);
    importer.reset();
    inputRef.current?.focus();
  };

  const apply = () => {
    if (!chosen) return;
    importer.mutate(
      { yaml: chosen.yaml, apply: true },
      {
        onSuccess: (result) => {
          if (result.applied) {
            notify('Config imported', 'success');
            close();
          } else {
            setPreview(result);
          }
        },
      },
    );
  };

  const noChanges = preview?.valid && !preview.diff.trim();
  const applying = importer.isPending && importer.variables?.apply;

  return (
    <section className="card" aria-labelledby="settings-config">
      <h2 id="settings-config">config.yaml</h2>
      <p className="muted">
        {configPath ? (
          <>
            Models and routing live in <code>{configPath}</code>. An export names secrets by reference (<code>keychain/NAME</code>, <code>os.environ/NAME</code>
            ), never by value.
          </>
        ) : (
          'The gateway runs without a config file (started with --model), so an import has nowhere to go.'
        )}
      </p>
      <div className="row">
        <button type="button" className="button" onClick={exportConfig} disabled={exporter.isPending}>
          {exporter.isPending ? 'Exporting…' : 'Export config.yaml'}
        </button>
        <span className="settings-file-button">
          <input ref={inputRef} id="settings-import-file" type="file" accept=".yaml,.yml" className="settings-file-input" onChange={onFile} />
          <label htmlFor="settings-import-file" className="button">
            Import config.yaml
          </label>
        </span>
      </div>
      {readError && (
        <p className="field-error" role="alert">
          {readError}
        </p>
      )}
      <Dialog title="Import config.yaml" open={Boolean(chosen)} onClose={close} wide>
        {chosen && <p className="muted">{chosen.name}</p>}
        {importer.isPending && !applying && <Loading label="Checking the file…" />}
        {importer.error && (
          <div className="state state-error" role="alert">
            <strong>{importer.variables?.apply ? 'The gateway did not apply this file' : 'The gateway rejected this file'}</strong>
            <div>{errorMessage(importer.error)}</div>
            <IssueList issues={importIssues(importer.error)} />
          </div>
        )}
        {preview && !preview.valid && (
          <div className="state state-error" role="alert">
            <strong>The gateway rejected this file</strong>
            <IssueList issues={preview.issues ?? []} />
          </div>
        )}
        {preview?.valid && (
          <div className="settings-stack">
            {noChanges ? (
              <p>This file matches the running config: there is nothing to change.</p>
            ) : (
              <>
                <ChangeSummary changes={preview.changes} />
                <DiffView diff={preview.diff} label="Changes to config.yaml" />
              </>
            )}
          </div>
        )}
        <div className="form-actions">
          <button type="button" className="button" onClick={close}>
            Cancel
          </button>
          {preview?.valid && !noChanges && !(importer.error && !importer.variables?.apply) && (
            <button type="button" className="button primary" onClick={apply} disabled={importer.isPending}>
              {applying ? 'Applying…' : 'Apply'}
            </button>
          )}
        </div>
      </Dialog>
    </section>
  );
}
