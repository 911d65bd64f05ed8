/** The key form's controls, shared by "Create key" (every field) and "Edit key" (no duration or metadata). */
import { useEffect, useRef, useState } from 'react';
import { useModelGroups } from '../../api/keys.ts';
import { CheckboxField, SelectField, TextAreaField, TextField } from '../../components/Field.tsx';
import { errorMessage } from '../../components/StateViews.tsx';
import { BUDGET_PERIODS, DURATIONS, type KeyFormErrors, type KeyFormValues } from './key-form.ts';

/** After a rejected submit, moves focus to the first field marked invalid, so keyboard and screen-reader users land on it. */
export function useFocusFirstInvalid() {
  const formRef = useRef<HTMLFormElement>(null);
  const [attempt, setAttempt] = useState(0);
  useEffect(() => {
    if (attempt > 0) formRef.current?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
  }, [attempt]);
  return { formRef, rejected: () => setAttempt((n) => n + 1) };
}

/** Checkboxes of the model groups (plus any the key already names that are no longer configured); none = all. */
function ModelsPicker({ selected, onChange }: { selected: string[]; onChange: (models: string[]) => void }) {
  const groups = useModelGroups();
  const names = [...new Set([...(groups.data ?? []), ...selected])];
  const toggle = (name: string, on: boolean) => onChange(on ? [...selected.filter((m) => m !== name), name] : selected.filter((m) => m !== name));
  return (
    <fieldset className="key-models">
      <legend>Models</legend>
      {groups.isPending && <small className="muted">Loading model groups…</small>}
      {groups.error && <small className="field-error">Could not load the model groups: {errorMessage(groups.error)}</small>}
      {!groups.isPending && names.length === 0 && <small className="muted">No models are configured yet; the key may call every model added later.</small>}
      <div className="key-models-list">
        {names.map((name) => (
          <CheckboxField key={name} label={name} checked={selected.includes(name)} onChange={(e) => toggle(name, e.currentTarget.checked)} />
        ))}
      </div>
      <small className="field-hint">
        {selected.length === 0
          ? 'None checked: the key may call every model.'
          : `Only ${selected.length === 1 ? 'this model' : `these ${selected.length} models`}.`}
      </small>
    </fieldset>
  );
}

export function KeyFormFields({
  values,
  errors,
  onChange,
  mode,
}: {
  values: KeyFormValues;
  errors: KeyFormErrors;
  onChange: (patch: Partial<KeyFormValues>) => void;
  mode: 'create' | 'edit';
}) {
  // A period set through the API ("2w") stays selectable as it is.
  const periods = BUDGET_PERIODS.some((p) => p.value === values.budgetPeriod)
    ? BUDGET_PERIODS
    : [...BUDGET_PERIODS, { value: values.budgetPeriod, label: `Every ${values.budgetPeriod}` }];
  return (
    <div className="key-form">
      <TextField
        label="Alias"
        value={values.alias}
        onChange={(e) => onChange({ alias: e.currentTarget.value })}
        placeholder="e.g. aider-laptop"
        autoComplete="off"
      />
      <ModelsPicker selected={values.models} onChange={(models) => onChange({ models })} />
      <div className="form-grid">
        <TextField
          label="Budget (USD)"
          inputMode="decimal"
          value={values.budget}
          error={errors.budget}
          hint="Empty: no budget."
          onChange={(e) => onChange({ budget: e.currentTarget.value })}
        />
        <SelectField
          label="Budget period"
          options={periods}
          value={values.budgetPeriod}
          onChange={(e) => onChange({ budgetPeriod: e.currentTarget.value })}
          hint="When spend starts again from zero."
        />
        {mode === 'create' && (
          <SelectField label="Duration" options={DURATIONS} value={values.duration} onChange={(e) => onChange({ duration: e.currentTarget.value })} />
        )}
        <TextField
          label="RPM limit"
          inputMode="numeric"
          value={values.rpm}
          error={errors.rpm}
          hint="Requests per minute."
          onChange={(e) => onChange({ rpm: e.currentTarget.value })}
        />
        <TextField
          label="TPM limit"
          inputMode="numeric"
          value={values.tpm}
          error={errors.tpm}
          hint="Tokens per minute."
          onChange={(e) => onChange({ tpm: e.currentTarget.value })}
        />
      </div>
      {mode === 'create' && (
        <TextAreaField
          label="Metadata (JSON)"
          value={values.metadata}
          error={errors.metadata}
          hint='A JSON object, e.g. {"team": "web"}. Optional.'
          spellCheck={false}
          onChange={(e) => onChange({ metadata: e.currentTarget.value })}
        />
      )}
    </div>
  );
}
