/** "Edit key": alias, models, budget, budget period and rate limits; the row changes at once (rolled back on a refusal). */
import { useState, type FormEvent } from 'react';
import { useUpdateKey } from '../../api/keys.ts';
import type { KeyObject } from '../../api/types.ts';
import { Dialog } from '../../components/Dialog.tsx';
import { keyFormFrom, parseKeyForm, updateBody, type KeyFormErrors, type KeyFormValues } from './key-form.ts';
import { KeyFormFields, useFocusFirstInvalid } from './KeyFormFields.tsx';

function EditKeyForm({ keyObject, onClose }: { keyObject: KeyObject; onClose: () => void }) {
  const [values, setValues] = useState<KeyFormValues>(() => keyFormFrom(keyObject));
  const [errors, setErrors] = useState<KeyFormErrors>({});
  const focus = useFocusFirstInvalid();
  const update = useUpdateKey();
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const parsed = parseKeyForm(values);
    setErrors(parsed.errors);
    if (Object.keys(parsed.errors).length > 0) return focus.rejected();
    update.mutate({ key: keyObject.token, ...updateBody(parsed, keyObject) });
    onClose();
  };
  return (
    <form ref={focus.formRef} onSubmit={submit} noValidate>
      <p className="muted">
        Key <span className="mono">{keyObject.key_name ?? keyObject.key_id}</span>
      </p>
      <KeyFormFields mode="edit" values={values} errors={errors} onChange={(patch) => setValues((v) => ({ ...v, ...patch }))} />
      <div className="form-actions">
        <button type="button" className="button" onClick={onClose}>
          Cancel
        </button>
        <button type="submit" className="button primary">
          Save
        </button>
      </div>
    </form>
  );
}

export function EditKeyDialog({ keyObject, onClose }: { keyObject: KeyObject | null; onClose: () => void }) {
  return (
    <Dialog title="Edit key" open={keyObject !== null} onClose={onClose}>
      {keyObject && <EditKeyForm key={keyObject.token} keyObject={keyObject} onClose={onClose} />}
    </Dialog>
  );
}
