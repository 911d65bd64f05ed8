/**
 * The browser's sign-in: the master key, checked against the admin API before it is kept (for this tab's
 * session only). The desktop app never shows this page: its preload hands the key over.
 */
import { useState, type FormEvent } from 'react';
import { createApiClient } from '../api/client.ts';
import { errorMessage } from '../components/StateViews.tsx';

export function LoginPage({ onSignedIn, baseUrl = '' }: { onSignedIn: (token: string) => void; baseUrl?: string }) {
  const [key, setKey] = useState('');
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const token = key.trim();
    if (!token) {
      setError('Enter the master key.');
      return;
    }
    setBusy(true);
    setError(undefined);
    try {
      await createApiClient(() => token, baseUrl).get('/admin/overview');
      onSignedIn(token);
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <main className="login">
      <form className="card login-card" onSubmit={submit} aria-labelledby="login-title">
        <h1 id="login-title">LLM Gateway</h1>
        <p>
          Sign in with the gateway's master key. It is printed once when the gateway first starts, and <code>npm start -- --print-master-key</code> prints it
          again.
        </p>
        <div className={error ? 'field field-invalid' : 'field'}>
          <label htmlFor="master-key">Master key</label>
          <input
            id="master-key"
            type="password"
            autoComplete="current-password"
            autoFocus
            value={key}
            onChange={(e) => setKey(e.target.value)}
            aria-invalid={error ? true : undefined}
            aria-describedby={error ? 'master-key-error' : undefined}
          />
          {error && (
            <small id="master-key-error" className="field-error" role="alert">
              {error}
            </small>
          )}
        </div>
        <button type="submit" className="button primary" disabled={busy}>
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
      </form>
    </main>
  );
}
