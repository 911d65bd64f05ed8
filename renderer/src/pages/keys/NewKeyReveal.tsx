/** The raw key right after create or rotate: shown this once, with a copy button, then gone. */
import { CopyButton } from '../../components/CopyButton.tsx';
import { TextField } from '../../components/Field.tsx';

export function NewKeyReveal({ rawKey, onDone, intro }: { rawKey: string; onDone: () => void; intro?: string }) {
  return (
    <div className="new-key">
      {intro && <p>{intro}</p>}
      <div className="new-key-row">
        <TextField label="New key" value={rawKey} readOnly className="mono" onFocus={(e) => e.currentTarget.select()} />
        <CopyButton text={rawKey} />
      </div>
      <p className="new-key-warning" role="note">
        Copy it now: this key will not be shown again. The gateway keeps only its hash.
      </p>
      <div className="form-actions">
        <button type="button" className="button primary" onClick={onDone}>
          Done
        </button>
      </div>
    </div>
  );
}
