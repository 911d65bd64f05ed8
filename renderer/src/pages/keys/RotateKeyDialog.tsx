/** "Rotate key": confirm, then the new raw key once; the old key stops working at once. */
import { useRotateKey, keyDisplayName } from '../../api/keys.ts';
import type { KeyObject } from '../../api/types.ts';
import { Dialog } from '../../components/Dialog.tsx';
import { ErrorState } from '../../components/StateViews.tsx';
import { NewKeyReveal } from '../../components/SecretReveal.tsx';

export function RotateKeyDialog({ keyObject, onClose }: { keyObject: KeyObject | null; onClose: () => void }) {
  const rotate = useRotateKey();
  const close = () => {
    rotate.reset();
    onClose();
  };
  const name = keyObject ? keyDisplayName(keyObject) : '';
  return (
    <Dialog title="Rotate key" open={keyObject !== null} onClose={close}>
      {rotate.data ? (
        <NewKeyReveal
          rawKey={rotate.data.key}
          onDone={close}
          intro={`${name} has a new key. Its settings and spend carry over; the old key no longer works.`}
        />
      ) : (
        <div>
          <p>
            Rotate <strong>{name}</strong>? It gets a new secret with the same settings and spend, and the current one stops working at once: clients using it
            must be given the new key.
          </p>
          {rotate.error && <ErrorState title="The gateway did not rotate the key" error={rotate.error} />}
          <div className="form-actions">
            <button type="button" className="button" onClick={close}>
              Cancel
            </button>
            <button type="button" className="button primary" disabled={rotate.isPending} onClick={() => keyObject && rotate.mutate(keyObject.token)}>
              {rotate.isPending ? 'Rotating…' : 'Rotate'}
            </button>
          </div>
        </div>
      )}
    </Dialog>
  );
}
