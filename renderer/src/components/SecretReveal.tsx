/** A secret right after it was made (a virtual key, a rotated master key): shown this once, with a copy button, then gone. */
import type { ReactNode } from 'react';
import { CopyButton } from './CopyButton.tsx';
import { TextField } from './Field.tsx';

export function SecretReveal({
  secret,
  label,
  onDone,
  intro,
  warning,
}: {
  secret: string;
  label: string;
  onDone: () => void;
  intro?: ReactNode;
  warning: ReactNode;
}) {
  return (
    <div className="new-key">
      {intro && <p>{intro}</p>}
      <div className="new-key-row">
        <TextField label={label} value={secret} readOnly className="mono" onFocus={(e) => e.currentTarget.select()} />
        <CopyButton text={secret} />
      </div>
      <p className="new-key-warning" role="note">
        {warning}
      </p>
      <div className="form-actions">
        <button type="button" className="button primary" onClick={onDone}>
          Done
        </button>
      </div>
    </div>
  );
}

/** A virtual key's reveal, after create or rotate. */
export function NewKeyReveal({ rawKey, onDone, intro }: { rawKey: string; onDone: () => void; intro?: string }) {
  return (
    <SecretReveal
      secret={rawKey}
      label="New key"
      onDone={onDone}
      {...(intro ? { intro } : {})}
      warning="Copy it now: this key will not be shown again. The gateway keeps only its hash."
    />
  );
}
