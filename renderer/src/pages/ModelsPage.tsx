/**
 * Models: config.yaml's model_list as model groups (model_name) and their deployments, each with its live
 * health (refreshed every 5 s); add, edit, test and delete deployments.
 */
import { useId, useMemo, useState } from 'react';
import { ApiError } from '../api/client.ts';
import { useDeleteModel, useDeploymentHealth, useModelInfo } from '../api/models.ts';
import { useProviders } from '../api/providers.ts';
import type { DeploymentHealth, ModelEntry } from '../api/types.ts';
import { Dialog } from '../components/Dialog.tsx';
import { PageHeader } from '../components/PageHeader.tsx';
import { EmptyState, errorMessage, QueryState } from '../components/StateViews.tsx';
import { DeploymentRow } from './models/DeploymentRow.tsx';
import { ModelDialog, type ModelDialogTarget } from './models/ModelDialog.tsx';
import { formFromEntry, type ModelForm } from './models/model-form.ts';

interface Group {
  name: string;
  deployments: ModelEntry[];
}

function groupsOf(entries: ModelEntry[]): Group[] {
  const byName = new Map<string, ModelEntry[]>();
  for (const entry of entries) {
    const list = byName.get(entry.model_name);
    if (list) list.push(entry);
    else byName.set(entry.model_name, [entry]);
  }
  return [...byName].map(([name, deployments]) => ({ name, deployments }));
}

function GroupSummary({ deployments, health }: { deployments: ModelEntry[]; health: Map<string, DeploymentHealth> }) {
  const states = deployments.map((d) => health.get(d.model_info.id)?.state);
  const healthy = states.filter((s) => s === 'healthy').length;
  const troubled = states.filter((s) => s === 'failing' || s === 'cooling').length;
  return (
    <span className="muted">
      {deployments.length} {deployments.length === 1 ? 'deployment' : 'deployments'}
      {healthy > 0 && ` · ${healthy} healthy`}
      {troubled > 0 && ` · ${troubled} failing or cooling`}
    </span>
  );
}

function ModelGroup({
  group,
  health,
  fetchedAt,
  windowSeconds,
  healthPending,
  onEdit,
  onDelete,
}: {
  group: Group;
  health: Map<string, DeploymentHealth>;
  fetchedAt: number;
  windowSeconds: number;
  healthPending: boolean;
  onEdit: (entry: ModelEntry, initial: ModelForm) => void;
  onDelete: (entry: ModelEntry) => void;
}) {
  const headingId = useId();
  // Until the gateway's provider list arrives, no deployment is editable yet.
  const providers = useProviders().data ?? [];
  return (
    <section className="card model-group" aria-labelledby={headingId}>
      <header className="model-group-header">
        <h2 id={headingId}>{group.name}</h2>
        <GroupSummary deployments={group.deployments} health={health} />
      </header>
      <div className="table-wrap">
        <table className="data-table deployments-table">
          <thead>
            <tr>
              <th scope="col" className="col-deployment">
                Deployment
              </th>
              <th scope="col" className="col-limits">
                Limits
              </th>
              <th scope="col" className="col-health">
                Health
              </th>
              <th scope="col" className="col-error">
                Last error
              </th>
              <th scope="col" className="col-actions">
                Actions
              </th>
            </tr>
          </thead>
          <tbody>
            {group.deployments.map((entry) => {
              const h = health.get(entry.model_info.id);
              const initial = formFromEntry(entry, providers, h?.model);
              return (
                <DeploymentRow
                  key={entry.model_info.id}
                  entry={entry}
                  health={h}
                  fetchedAt={fetchedAt}
                  windowSeconds={windowSeconds}
                  healthPending={healthPending}
                  onEdit={initial && (() => onEdit(entry, initial))}
                  onDelete={() => onDelete(entry)}
                />
              );
            })}
          </tbody>
        </table>
      </div>
    </section>
  );
}

export function ModelsPage() {
  const info = useModelInfo();
  const healthQuery = useDeploymentHealth();
  const remove = useDeleteModel();
  const [dialog, setDialog] = useState<ModelDialogTarget | undefined>();
  const [deleting, setDeleting] = useState<ModelEntry | undefined>();
  const [refusal, setRefusal] = useState<string | undefined>();

  const health = useMemo(() => new Map((healthQuery.data?.deployments ?? []).map((d) => [d.id, d])), [healthQuery.data]);
  const groups = useMemo(() => groupsOf(info.data?.data ?? []), [info.data]);
  const addButton = (
    <button type="button" className="button primary" onClick={() => setDialog({ mode: 'add' })}>
      Add model
    </button>
  );

  const confirmDelete = () => {
    if (!deleting) return;
    remove.mutate(deleting, {
      onError: (error) => {
        if (error instanceof ApiError && error.status === 409) setRefusal(error.message);
      },
    });
    setDeleting(undefined);
  };

  return (
    <section className="page models-page">
      <PageHeader
        title="Models"
        description="Model groups clients ask for by name, and the deployments that serve them. Several deployments under one name are load-balanced and fail over to each other."
        actions={groups.length > 0 ? addButton : undefined}
      />
      {refusal && (
        <div className="models-notice models-notice-warning" role="alert">
          {refusal}
        </div>
      )}
      {healthQuery.error && !healthQuery.data && (
        <div className="models-notice models-notice-warning">Health is unavailable: {errorMessage(healthQuery.error)}</div>
      )}
      <QueryState
        query={info}
        empty={(data) =>
          data.data.length === 0 ? (
            <EmptyState title="No models yet">
              <p>Add a deployment: a provider’s model under the name clients will ask for. The built-in Mock provider works offline.</p>
              {addButton}
            </EmptyState>
          ) : undefined
        }
      >
        {() => (
          <div className="model-groups">
            {groups.map((group) => (
              <ModelGroup
                key={group.name}
                group={group}
                health={health}
                fetchedAt={healthQuery.dataUpdatedAt}
                windowSeconds={healthQuery.data?.window.seconds ?? 300}
                healthPending={healthQuery.isPending}
                onEdit={(entry, initial) => setDialog({ mode: 'edit', entry, initial })}
                onDelete={setDeleting}
              />
            ))}
          </div>
        )}
      </QueryState>
      {dialog && (
        <ModelDialog
          key={dialog.mode === 'edit' ? dialog.entry.model_info.id : 'add'}
          target={dialog}
          groups={groups.map((g) => g.name)}
          onClose={() => setDialog(undefined)}
          onRefused={(error) => {
            if (error instanceof ApiError && error.status === 409) setRefusal(error.message);
          }}
        />
      )}
      {deleting && (
        <Dialog title="Delete model" open onClose={() => setDeleting(undefined)}>
          <p>
            Delete the deployment <code>{deleting.litellm_params.model}</code> of <strong>{deleting.model_name}</strong>?{' '}
            {groups.find((g) => g.name === deleting.model_name)?.deployments.length === 1
              ? `Clients asking for ${deleting.model_name} will get an error (or a fallback) afterwards.`
              : `The other deployments of ${deleting.model_name} keep serving it.`}{' '}
            It is removed from config.yaml.
          </p>
          <div className="form-actions">
            <button type="button" className="button" onClick={() => setDeleting(undefined)}>
              Cancel
            </button>
            <button type="button" className="button danger" onClick={confirmDelete} autoFocus>
              Delete
            </button>
          </div>
        </Dialog>
      )}
    </section>
  );
}
