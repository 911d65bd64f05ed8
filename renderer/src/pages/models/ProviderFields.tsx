/**
 * The chosen provider's own settings as fields of the model form (the list comes from GET /admin/providers). A secret
 * is typed into a password field (a key file's JSON into a text area) and never shown back: the gateway keeps it in
 * its secret store (the hint names the one in use), and an edit shows the current value as the gateway answers it (masked, or its reference).
 */
import { useSecretStoreKind } from '../../api/settings.ts';
import { TextAreaField, TextField } from '../../components/Field.tsx';
import { settingErrorKey, settingHint, type ProviderField, type SettingErrorKey, type SettingValues } from './provider-fields.ts';

interface ProviderFieldsProps {
  fields: readonly ProviderField[];
  values: SettingValues;
  errors: Partial<Record<SettingErrorKey, string>>;
  onChange: (param: string, value: string) => void;
  /** The deployment's litellm_params as the gateway answered them, when editing. */
  current?: Record<string, unknown> | undefined;
}

export function ProviderFields({ fields, values, errors, onChange, current }: ProviderFieldsProps) {
  const editing = current !== undefined;
  const store = useSecretStoreKind();
  return (
    <>
      {fields.map((field) => {
        const common = {
          label: field.label,
          value: values[field.param] ?? '',
          error: errors[settingErrorKey(field.param)],
          hint: settingHint(field, current?.[field.param], editing, store),
          placeholder: field.placeholder ?? undefined,
          autoComplete: field.kind === 'secret' ? 'new-password' : 'off',
          spellCheck: false,
        };
        if (field.kind === 'multiline-secret') {
          return <TextAreaField key={field.param} {...common} rows={4} onChange={(event) => onChange(field.param, event.target.value)} />;
        }
        return (
          <TextField
            key={field.param}
            {...common}
            type={field.kind === 'secret' ? 'password' : 'text'}
            inputMode={field.kind === 'number' ? 'decimal' : undefined}
            onChange={(event) => onChange(field.param, event.target.value)}
          />
        );
      })}
    </>
  );
}
