/** "Create key": the form, then the raw key once. */
import { useState, type FormEvent } from 'react';
import { useCreateKey } from '../../api/keys.ts';
import { Dialog } from '../../components/Dialog.tsx';
import { ErrorState } from '../../components/StateViews.tsx';
import { createBody, emptyKeyForm, parseKeyForm, type KeyFormErrors, type KeyFormValues } from './key-form.ts';
import { KeyFormFields, useFocusFirstInvalid } from './KeyFormFields.tsx';
import { NewKeyReveal } from '../../components/SecretReveal.tsx';

export function CreateKeyDialog({ open, onClose }: { open: boolean; onClose: () => void }) {
  const [values, setValues] = useState<KeyFormValues>(emptyKeyForm);
  const [errors, setErrors] = useState<KeyFormErrors>({});
  const focus = useFocusFirstInvalid();
  const create = useCreateKey();

  const close = () => {
    // Forget the raw key (it lives only in the mutation's result) and start the next form afresh.
    create.reset();
    setValues(emptyKeyForm());
    setErrors({});
    onClose();
  };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const parsed = parseKeyForm(values);
    setErrors(parsed.errors);
    if (Object.keys(parsed.errors).length > 0) return focus.rejected();
    create.mutate(createBody(parsed));
  };

  const issued = create.data;
  return (
    <Dialog title="Create key" open={open} onClose={close}>
      {issued ? (
        <NewKeyReveal rawKey={issued.key} onDone={close} intro={issued.key_alias ? `Key ${issued.key_alias} is ready.` : 'The key is ready.'} />
      ) : (
        <form ref={focus.formRef} onSubmit={submit} noValidate>
          <KeyFormFields mode="create" values={values} errors={errors} onChange={(patch) => setValues((v) => ({ ...v, ...patch }))} />
          {create.error && <ErrorState title="The gateway did not create the key" error={create.error} />}
          <div className="form-actions">
            <button type="button" className="button" onClick={close}>
              Cancel
            </button>
            <button type="submit" className="button primary" disabled={create.isPending}>
              {create.isPending ? 'Creating…' : 'Create'}
            </button>
          </div>
        </form>
      )}
    </Dialog>
  );
}
