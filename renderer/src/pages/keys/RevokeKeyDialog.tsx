/** "Revoke key": confirm, then the row goes at once (and comes back with a toast if the gateway refuses). */
import { keyDisplayName, useRevokeKey } from '../../api/keys.ts';
import type { KeyObject } from '../../api/types.ts';
import { Dialog } from '../../components/Dialog.tsx';

export function RevokeKeyDialog({ keyObject, onClose }: { keyObject: KeyObject | null; onClose: () => void }) {
  const revoke = useRevokeKey();
  const name = keyObject ? keyDisplayName(keyObject) : '';
  return (
    <Dialog title="Revoke key" open={keyObject !== null} onClose={onClose}>
      <p>
        Revoke <strong>{name}</strong>? Requests with it are refused from now on. Its past requests stay in Usage. This cannot be undone.
      </p>
      <div className="form-actions">
        <button type="button" className="button" onClick={onClose}>
          Cancel
        </button>
        <button
          type="button"
          className="button danger"
          onClick={() => {
            if (keyObject) revoke.mutate(keyObject);
            onClose();
          }}
        >
          Revoke
        </button>
      </div>
    </Dialog>
  );
}
