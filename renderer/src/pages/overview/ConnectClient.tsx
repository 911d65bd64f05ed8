/**
 * "Connect a client": one tab per client with a copy-ready snippet, filled with the base URL, the chosen model
 * group and the chosen key. The gateway stores only hashes of virtual keys, so unless a raw key is pasted
 * (kept in this component's state only, never stored or sent anywhere) the snippet names the key by a placeholder.
 */
import { useEffect, useId, useRef, useState, type KeyboardEvent } from 'react';
import { useSearch } from 'wouter';
import { Link } from 'wouter';
import { useClientKeys } from '../../api/overview.ts';
import type { KeyObject } from '../../api/types.ts';
import { CopyButton } from '../../components/CopyButton.tsx';
import { SelectField, TextField } from '../../components/Field.tsx';
import { errorMessage } from '../../components/StateViews.tsx';
import { CLIENTS, snippetFor, type Client } from './snippets.ts';

/** A placeholder that says which key belongs there. */
export function keyPlaceholder(key: Pick<KeyObject, 'key_alias' | 'key_name'> | undefined): string {
  if (!key) return 'sk-...your virtual key';
  if (key.key_alias) return `sk-...your "${key.key_alias}" key`;
  return `sk-...your ${key.key_name ?? 'virtual'} key`;
}

const keyLabel = (key: KeyObject) => (key.key_alias ? `${key.key_alias} (${key.key_name ?? 'sk-…'})` : (key.key_name ?? key.key_id));

/** Whether a key's model list lets it call `model` (an empty list means every model). */
function keyAllows(key: KeyObject, model: string): boolean {
  if (key.models.length === 0) return true;
  return key.models.some((m) => m === model || m === '*' || m === 'all-proxy-models');
}

export function ConnectClient({ baseUrl, models }: { baseUrl: string; models: string[] }) {
  const keysQuery = useClientKeys();
  const keys = keysQuery.data?.keys ?? [];
  const [client, setClient] = useState<Client>(CLIENTS[0]);
  const [chosenModel, setModel] = useState<string>();
  const [chosenKeyId, setKeyId] = useState<string>();
  const [pasted, setPasted] = useState('');
  const baseId = useId();
  // The desktop app's first run opens /ui/?welcome=connect-client: bring this section forward once.
  const welcome = new URLSearchParams(useSearch()).get('welcome') === 'connect-client';
  const welcomeRef = useRef<HTMLElement>(null);
  useEffect(() => {
    if (!welcome) return;
    welcomeRef.current?.scrollIntoView?.({ block: 'start' });
    welcomeRef.current?.querySelector<HTMLElement>('h2')?.focus({ preventScroll: true });
  }, [welcome]);
  const tabRefs = useRef(new Map<Client, HTMLButtonElement>());

  const model = chosenModel && models.includes(chosenModel) ? chosenModel : (models[0] ?? 'your-model');
  const key = keys.find((k) => k.key_id === chosenKeyId) ?? keys[0];
  const pastedKey = pasted.trim();
  const snippet = snippetFor(client, { baseUrl, model, key: pastedKey || keyPlaceholder(key) });

  const tabId = (c: Client) => `${baseId}-tab-${CLIENTS.indexOf(c)}`;
  const panelId = `${baseId}-panel`;
  const select = (c: Client) => {
    setClient(c);
    tabRefs.current.get(c)?.focus();
  };
  const onTabKey = (event: KeyboardEvent) => {
    const i = CLIENTS.indexOf(client);
    const next =
      event.key === 'ArrowRight'
        ? CLIENTS[(i + 1) % CLIENTS.length]
        : event.key === 'ArrowLeft'
          ? CLIENTS[(i - 1 + CLIENTS.length) % CLIENTS.length]
          : event.key === 'Home'
            ? CLIENTS[0]
            : event.key === 'End'
              ? CLIENTS[CLIENTS.length - 1]
              : undefined;
    if (!next) return;
    event.preventDefault();
    select(next);
  };

  const keyHint = keysQuery.isPending ? (
    'Loading keys…'
  ) : keysQuery.error ? (
    `Could not list the keys: ${errorMessage(keysQuery.error)}`
  ) : keys.length === 0 ? (
    <>
      No virtual keys yet: <Link href="/keys">create one on Keys</Link>.
    </>
  ) : undefined;
  const modelHint =
    models.length === 0 ? (
      <>
        No models yet: <Link href="/models">add one on Models</Link>.
      </>
    ) : undefined;

  return (
    <section className="card connect-client" aria-labelledby={`${baseId}-title`} ref={welcomeRef}>
      <h2 id={`${baseId}-title`} tabIndex={-1}>
        Connect a client
      </h2>
      <p className="muted connect-intro">
        Point any OpenAI-compatible client at <code>{baseUrl.replace(/\/+$/, '')}/v1</code>, or Claude Code at <code>{baseUrl}</code>, with a virtual key.
      </p>
      <div className="form-grid connect-controls">
        <SelectField
          label="Model"
          value={model}
          onChange={(e) => setModel(e.target.value)}
          options={models.length ? models.map((m) => ({ value: m, label: m })) : [{ value: 'your-model', label: 'No models configured' }]}
          hint={modelHint}
        />
        <SelectField
          label="Key"
          value={key?.key_id ?? ''}
          onChange={(e) => setKeyId(e.target.value)}
          options={keys.length ? keys.map((k) => ({ value: k.key_id, label: keyLabel(k) })) : [{ value: '', label: 'No virtual keys' }]}
          hint={keyHint}
        />
        <TextField
          label="Paste a key (optional)"
          value={pasted}
          onChange={(e) => setPasted(e.target.value)}
          autoComplete="off"
          spellCheck={false}
          placeholder="sk-…"
          hint="Only used to fill in the snippets; it never leaves this page."
        />
      </div>
      {key && !keyAllows(key, model) && (
        <p className="connect-warning" role="note">
          The key {key.key_alias ? `"${key.key_alias}"` : key.key_name} may only call {key.models.join(', ')}; a request for {model} would be refused.
        </p>
      )}
      <div role="tablist" aria-label="Client" className="tabs" onKeyDown={onTabKey}>
        {CLIENTS.map((c) => (
          <button
            key={c}
            ref={(el) => {
              if (el) tabRefs.current.set(c, el);
              else tabRefs.current.delete(c);
            }}
            type="button"
            role="tab"
            id={tabId(c)}
            className="tab"
            aria-selected={c === client}
            aria-controls={panelId}
            tabIndex={c === client ? 0 : -1}
            onClick={() => setClient(c)}
          >
            {c}
          </button>
        ))}
      </div>
      <div role="tabpanel" id={panelId} aria-labelledby={tabId(client)} className="connect-snippet">
        <div className="connect-snippet-head">
          <span className="muted">{snippet.where}</span>
          <CopyButton text={snippet.text} className="button small" />
        </div>
        <pre data-language={snippet.language}>
          <code>{snippet.text}</code>
        </pre>
        {!pastedKey && (
          <p className="muted connect-snippet-note">
            The gateway keeps only a hash of each key, so the snippet shows a placeholder: paste the key shown when it was created (in place of{' '}
            <code>{keyPlaceholder(key)}</code>, or in "Paste a key (optional)" above).
          </p>
        )}
      </div>
    </section>
  );
}
