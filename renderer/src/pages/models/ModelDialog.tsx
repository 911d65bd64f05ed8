/**
 * "Add model" and "Edit model": one deployment of a model group. The providers and the fields each needs (URL,
 * API version, key, and its own settings such as AWS keys or a Vertex service account key: ProviderFields.tsx) come
 * from the gateway (GET /admin/providers); a typed secret goes to the gateway, which keeps it in its secret store and
 * writes a `keychain/` reference into config.yaml. A refused save shows the gateway's
 * message and keeps everything typed.
 */
import { useId, useState, type FormEvent } from 'react';
import { useAddModel, useUpdateModel } from '../../api/models.ts';
import { useProviders } from '../../api/providers.ts';
import { useSecretStoreKind } from '../../api/settings.ts';
import type { ModelEntry } from '../../api/types.ts';
import { Dialog } from '../../components/Dialog.tsx';
import { SelectField, TextAreaField, TextField } from '../../components/Field.tsx';
import { EmptyState, errorMessage, QueryState } from '../../components/StateViews.tsx';
import { secretStoreNote } from '../../components/secret-store.ts';
import { useToast } from '../../components/Toasts.tsx';
import { emptyForm, newModelBody, updateBody, validateForm, type FormErrors, type ModelForm } from './model-form.ts';
import { ProviderFields } from './ProviderFields.tsx';
import { settingErrorKey } from './provider-fields.ts';
import { providerSpec, type ProviderInfo } from './providers.ts';

export type ModelDialogTarget = { mode: 'add' } | { mode: 'edit'; entry: ModelEntry; initial: ModelForm };

interface ModelDialogProps {
  target: ModelDialogTarget;
  groups: string[];
  onClose: () => void;
  /** Told of every refused save (the page shows a 409 "no config file" above the list too). */
  onRefused?: (error: unknown) => void;
}

export function ModelDialog(props: ModelDialogProps) {
  const providers = useProviders();
  return (
    <Dialog title={props.target.mode === 'edit' ? 'Edit model' : 'Add model'} open onClose={props.onClose} wide>
      <QueryState query={providers} empty={(list) => (list.length === 0 ? <EmptyState title="The gateway lists no providers." /> : undefined)}>
        {(list) => <ModelFormView {...props} providers={list} />}
      </QueryState>
    </Dialog>
  );
}

function ModelFormView({ target, groups, onClose, onRefused, providers }: ModelDialogProps & { providers: readonly ProviderInfo[] }) {
  const editing = target.mode === 'edit';
  const initial = editing ? target.initial : emptyForm(providers);
  const [form, setForm] = useState<ModelForm>(initial);
  const [errors, setErrors] = useState<FormErrors>({});
  const add = useAddModel();
  const update = useUpdateModel();
  const saving = add.isPending || update.isPending;
  const serverError = add.error ?? update.error;
  const toast = useToast();
  const listId = useId();
  const spec = providerSpec(providers, form.provider);
  const providerOptions = providers.map((p) => ({ value: p.id, label: p.label }));

  const set = (field: Exclude<keyof ModelForm, 'settings'>) => (event: { target: { value: string } }) => {
    const value = event.target.value;
    setForm((f) => ({ ...f, [field]: value }));
    if (errors[field]) setErrors((e) => ({ ...e, [field]: undefined }));
  };

  const setSetting = (param: string, value: string) => {
    setForm((f) => ({ ...f, settings: { ...f.settings, [param]: value } }));
    const key = settingErrorKey(param);
    if (errors[key]) setErrors((e) => ({ ...e, [key]: undefined }));
  };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (saving) return;
    const found = validateForm(form, providers, editing);
    if (Object.values(found).some(Boolean)) {
      setErrors(found);
      return;
    }
    add.reset();
    update.reset();
    if (target.mode === 'add') {
      add.mutate(newModelBody(form, providers), {
        onSuccess: (stored) => {
          toast.notify(`Added ${stored.model_name} (${stored.litellm_params.model})`, 'success');
          onClose();
        },
        onError: onRefused,
      });
      return;
    }
    const planned = updateBody(target.entry.model_info.id, target.entry, initial, form, providers);
    if ('errors' in planned) {
      setErrors(planned.errors);
      return;
    }
    const { update: change } = planned;
    if (change.model_name === undefined && change.litellm_params === undefined) {
      onClose();
      return;
    }
    update.mutate(change, {
      onSuccess: (stored) => {
        toast.notify(`Saved ${stored.model_name} (${stored.litellm_params.model})`, 'success');
        onClose();
      },
      onError: onRefused,
    });
  };

  const currentKey = editing ? target.entry.litellm_params.api_key : undefined;
  const secretStore = useSecretStoreKind();
  const keyHint = [
    secretStoreNote(secretStore),
    editing
      ? typeof currentKey === 'string'
        ? `Leave empty to keep the current key (${currentKey}).`
        : 'Leave empty to keep using none (or the provider’s environment variable).'
      : spec.form.api_key === 'required'
        ? `Or type os.environ/${spec.form.api_key_env ?? 'NAME'} to read it from the environment.`
        : `Optional for ${spec.label}.`,
  ].join(' ');

  return (
    <form className="model-form" onSubmit={submit} noValidate>
      <div className="form-grid">
        <TextField
          label="Model name"
          value={form.modelName}
          onChange={set('modelName')}
          error={errors.modelName}
          hint="The name clients ask for. Deployments with the same name are load-balanced."
          list={listId}
          autoComplete="off"
          autoFocus={!editing}
        />
        <datalist id={listId}>
          {groups.map((g) => (
            <option key={g} value={g} />
          ))}
        </datalist>
        <SelectField label="Provider" value={form.provider} onChange={set('provider')} options={providerOptions} />
        <TextField
          label="Upstream model"
          value={form.upstream}
          onChange={set('upstream')}
          error={errors.upstream}
          placeholder={spec.form.model_placeholder}
          hint={
            <>
              Sent as <code>{`${spec.id}/${form.upstream.trim() || spec.form.model_placeholder}`}</code>
            </>
          }
          autoComplete="off"
        />
        {spec.form.api_base !== 'hidden' && (
          <TextField
            label="API base"
            value={form.apiBase}
            onChange={set('apiBase')}
            error={errors.apiBase}
            placeholder={spec.form.api_base_placeholder ?? undefined}
            hint={spec.form.api_base === 'required' ? 'Required.' : 'Optional: empty uses the default shown.'}
            autoComplete="off"
          />
        )}
        {spec.form.api_version !== 'hidden' && (
          <TextField
            label="API version"
            value={form.apiVersion}
            onChange={set('apiVersion')}
            error={errors.apiVersion}
            placeholder={spec.form.api_version_placeholder ?? undefined}
            hint={spec.form.api_version === 'required' ? 'Required.' : 'Optional: empty uses the version shown.'}
            autoComplete="off"
          />
        )}
        {spec.form.api_key !== 'hidden' && (
          <TextField
            label="API key"
            type="password"
            value={form.apiKey}
            onChange={set('apiKey')}
            error={errors.apiKey}
            hint={keyHint}
            autoComplete="new-password"
          />
        )}
        <ProviderFields
          fields={spec.form.fields}
          values={form.settings}
          errors={errors}
          onChange={setSetting}
          current={editing ? target.entry.litellm_params : undefined}
        />
      </div>
      <fieldset className="model-form-limits">
        <legend>Limits and prices</legend>
        <div className="form-grid">
          <TextField
            label="RPM"
            type="number"
            min={0}
            step={1}
            inputMode="numeric"
            value={form.rpm}
            onChange={set('rpm')}
            error={errors.rpm}
            hint="Requests per minute; empty: no limit."
          />
          <TextField
            label="TPM"
            type="number"
            min={0}
            step={1}
            inputMode="numeric"
            value={form.tpm}
            onChange={set('tpm')}
            error={errors.tpm}
            hint="Tokens per minute; empty: no limit."
          />
          <TextField
            label="Timeout (s)"
            type="number"
            min={0}
            step="any"
            inputMode="decimal"
            value={form.timeout}
            onChange={set('timeout')}
            error={errors.timeout}
            hint="Empty: the gateway’s request timeout."
          />
          <TextField
            label="Input price ($ per 1M tokens)"
            type="number"
            min={0}
            step="any"
            inputMode="decimal"
            value={form.inputPrice}
            onChange={set('inputPrice')}
            error={errors.inputPrice}
            hint="Empty: the bundled price table."
          />
          <TextField
            label="Output price ($ per 1M tokens)"
            type="number"
            min={0}
            step="any"
            inputMode="decimal"
            value={form.outputPrice}
            onChange={set('outputPrice')}
            error={errors.outputPrice}
            hint="Empty: the bundled price table."
          />
        </div>
      </fieldset>
      <div className="model-form-extra">
        <TextAreaField
          label="Extra params (JSON)"
          value={form.extra}
          onChange={set('extra')}
          error={errors.extra}
          placeholder={spec.form.extra_placeholder}
          hint="A JSON object merged into litellm_params."
          spellCheck={false}
        />
      </div>
      {serverError && (
        <div className="model-form-error" role="alert">
          {errorMessage(serverError)}
        </div>
      )}
      <div className="form-actions">
        <button type="button" className="button" onClick={onClose}>
          Cancel
        </button>
        <button type="submit" className="button primary" disabled={saving} aria-busy={saving || undefined}>
          Save
        </button>
      </div>
    </form>
  );
}
