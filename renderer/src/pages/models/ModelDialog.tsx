/**
 * "Add model" and "Edit model": one deployment of a model group. The fields follow the provider (URL, API
 * version, key); a typed key goes to the gateway, which keeps it in the OS keychain and writes a `keychain/`
 * reference into config.yaml. A refused save shows the gateway's message and keeps everything typed.
 */
import { useId, useState, type FormEvent } from 'react';
import { useAddModel, useUpdateModel } from '../../api/models.ts';
import type { ModelEntry } from '../../api/types.ts';
import { Dialog } from '../../components/Dialog.tsx';
import { SelectField, TextAreaField, TextField } from '../../components/Field.tsx';
import { errorMessage } from '../../components/StateViews.tsx';
import { useToast } from '../../components/Toasts.tsx';
import { EMPTY_FORM, newModelBody, updateBody, validateForm, type FormErrors, type ModelForm } from './model-form.ts';
import { AZURE_DEFAULT_API_VERSION, PROVIDERS, providerSpec } from './providers.ts';

const PROVIDER_OPTIONS = PROVIDERS.map((p) => ({ value: p.id, label: p.label }));

export type ModelDialogTarget =
  | { mode: 'add' }
  | { mode: 'edit'; entry: ModelEntry; initial: ModelForm };

export function ModelDialog({ target, groups, onClose, onRefused }: {
  target: ModelDialogTarget;
  groups: string[];
  onClose: () => void;
  /** Told of every refused save (the page shows a 409 "no config file" above the list too). */
  onRefused?: (error: unknown) => void;
}) {
  const editing = target.mode === 'edit';
  const initial = editing ? target.initial : EMPTY_FORM;
  const [form, setForm] = useState<ModelForm>(initial);
  const [errors, setErrors] = useState<FormErrors>({});
  const add = useAddModel();
  const update = useUpdateModel();
  const saving = add.isPending || update.isPending;
  const serverError = add.error ?? update.error;
  const toast = useToast();
  const listId = useId();
  const spec = providerSpec(form.provider);

  const set = (field: keyof ModelForm) => (event: { target: { value: string } }) => {
    const value = event.target.value;
    setForm((f) => ({ ...f, [field]: value }));
    if (errors[field]) setErrors((e) => ({ ...e, [field]: undefined }));
  };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (saving) return;
    const found = validateForm(form, editing);
    if (Object.values(found).some(Boolean)) {
      setErrors(found);
      return;
    }
    add.reset();
    update.reset();
    if (target.mode === 'add') {
      add.mutate(newModelBody(form), {
        onSuccess: (stored) => {
          toast.notify(`Added ${stored.model_name} (${stored.litellm_params.model})`, 'success');
          onClose();
        },
        onError: onRefused,
      });
      return;
    }
    const planned = updateBody(target.entry.model_info.id, target.entry, initial, form);
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
  const keyHint = [
    'Kept in the OS keychain; config.yaml gets a keychain/ reference.',
    editing
      ? typeof currentKey === 'string'
        ? `Leave empty to keep the current key (${currentKey}).`
        : 'Leave empty to keep using none (or the provider’s environment variable).'
      : spec.keyRequired
        ? `Or type os.environ/${spec.keyEnv ?? 'NAME'} to read it from the environment.`
        : `Optional for ${spec.label}.`,
  ].join(' ');

  return (
    <Dialog title={editing ? 'Edit model' : 'Add model'} open onClose={onClose} wide>
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
          <SelectField label="Provider" value={form.provider} onChange={set('provider')} options={PROVIDER_OPTIONS} />
          <TextField
            label="Upstream model"
            value={form.upstream}
            onChange={set('upstream')}
            error={errors.upstream}
            placeholder={spec.modelPlaceholder}
            hint={<>Sent as <code>{`${spec.id}/${form.upstream.trim() || spec.modelPlaceholder}`}</code></>}
            autoComplete="off"
          />
          {!spec.local && (
            <TextField
              label="API base"
              value={form.apiBase}
              onChange={set('apiBase')}
              error={errors.apiBase}
              placeholder={spec.defaultApiBase ?? (spec.id === 'azure' ? 'https://my-resource.openai.azure.com' : 'http://localhost:8000/v1')}
              hint={spec.baseRequired ? 'Required.' : 'Optional: empty uses the default shown.'}
              autoComplete="off"
            />
          )}
          {spec.apiVersion && (
            <TextField
              label="API version"
              value={form.apiVersion}
              onChange={set('apiVersion')}
              error={errors.apiVersion}
              placeholder={AZURE_DEFAULT_API_VERSION}
              hint="Optional: empty uses the version shown."
              autoComplete="off"
            />
          )}
          {!spec.local && (
            <TextField label="API key" type="password" value={form.apiKey} onChange={set('apiKey')} error={errors.apiKey} hint={keyHint} autoComplete="new-password" />
          )}
        </div>
        <fieldset className="model-form-limits">
          <legend>Limits and prices</legend>
          <div className="form-grid">
            <TextField label="RPM" type="number" min={0} step={1} inputMode="numeric" value={form.rpm} onChange={set('rpm')} error={errors.rpm} hint="Requests per minute; empty: no limit." />
            <TextField label="TPM" type="number" min={0} step={1} inputMode="numeric" value={form.tpm} onChange={set('tpm')} error={errors.tpm} hint="Tokens per minute; empty: no limit." />
            <TextField label="Timeout (s)" type="number" min={0} step="any" inputMode="decimal" value={form.timeout} onChange={set('timeout')} error={errors.timeout} hint="Empty: the gateway’s request timeout." />
            <TextField label="Input price ($ per 1M tokens)" type="number" min={0} step="any" inputMode="decimal" value={form.inputPrice} onChange={set('inputPrice')} error={errors.inputPrice} hint="Empty: the bundled price table." />
            <TextField label="Output price ($ per 1M tokens)" type="number" min={0} step="any" inputMode="decimal" value={form.outputPrice} onChange={set('outputPrice')} error={errors.outputPrice} hint="Empty: the bundled price table." />
          </div>
        </fieldset>
        <div className="model-form-extra">
          <TextAreaField
            label="Extra params (JSON)"
            value={form.extra}
            onChange={set('extra')}
            error={errors.extra}
            placeholder={spec.local ? '{"mock_response": "Hello!", "mock_latency": 250}' : '{"temperature": 0.2}'}
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
    </Dialog>
  );
}
