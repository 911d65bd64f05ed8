/**
 * Routing: fallback chains (general, context-window, content-policy, default), retries, timeouts, cooldown,
 * the load-balancing strategy and the response cache — edited as a draft and saved with one PUT of what changed.
 */
import { useMemo, useState, type FormEvent } from 'react';
import { ApiError } from '../api/client.ts';
import { useRouting, useSaveRouting } from '../api/routing.ts';
import type { RoutingAnswer } from '../api/types.ts';
import { CheckboxField, SelectField, TextField } from '../components/Field.tsx';
import { PageHeader } from '../components/PageHeader.tsx';
import { errorMessage, QueryState } from '../components/StateViews.tsx';
import { useToast } from '../components/Toasts.tsx';
import { ChainSection, TargetList } from './routing/ChainEditor.tsx';
import {
  changeBody,
  changedKeys,
  draftFrom,
  NUMBER_FIELDS,
  STRATEGIES,
  validateDraft,
  type ChainKind,
  type NumberField,
  type RoutingDraft,
  type RoutingErrors,
} from './routing/routing-form.ts';

const SECTIONS: { kind: ChainKind; title: string; addLabel: string; description: string }[] = [
  {
    kind: 'fallbacks',
    title: 'Fallbacks',
    addLabel: 'Add fallback chain',
    description: 'When every deployment of a model fails (after its retries), the gateway tries these model groups in order.',
  },
  {
    kind: 'context_window_fallbacks',
    title: 'Context-window fallbacks',
    addLabel: 'Add context-window fallback chain',
    description: 'When a prompt is too long for the model, try models with a larger context window.',
  },
  {
    kind: 'content_policy_fallbacks',
    title: 'Content-policy fallbacks',
    addLabel: 'Add content-policy fallback chain',
    description: 'When the provider refuses a request under its content policy.',
  },
];

const CACHE_TYPES = [
  { value: 'local', label: 'In memory' },
  { value: 'redis', label: 'Redis' },
];

/**
 * Where the gateway's 400 belongs: its `param` names the setting (`cooldown_time`, `cache.ttl`) or a place in a
 * chain (`fallbacks[0].gpt-4o[1]`, the chain's index being the draft's, as each chain is sent as one rule).
 */
function placeOfParam(param: string | null | undefined, draft: RoutingDraft): string | undefined {
  if (!param) return undefined;
  if (param in NUMBER_FIELDS || param === 'cache.ttl' || param === 'cache.port') return param;
  const chain = /^(fallbacks|context_window_fallbacks|content_policy_fallbacks)\[(\d+)\]/.exec(param);
  if (!chain) return undefined;
  const kind = chain[1] as ChainKind;
  const at = draft[kind][Number(chain[2])];
  return at ? `${kind}:${at.key}` : undefined;
}

function serverMessage(error: unknown): string {
  const message = errorMessage(error);
  if (error instanceof ApiError && error.param && !error.message.includes(error.param)) return `${error.param}: ${message}`;
  return message;
}

function RoutingEditor({ answer }: { answer: RoutingAnswer }) {
  const base = useMemo(() => draftFrom(answer), [answer]);
  const [edited, setEdited] = useState<RoutingDraft | null>(null);
  const [errors, setErrors] = useState<RoutingErrors>({});
  const [blocked, setBlocked] = useState(false);
  const save = useSaveRouting();
  const toast = useToast();
  const draft = edited ?? base;
  const changed = changedKeys(draft, base);
  const dirty = changed.length > 0;
  const groups = answer.model_groups;

  const update = (change: Partial<RoutingDraft>, clear: string[] = []) => {
    setEdited({ ...draft, ...change });
    if (clear.some((k) => errors[k])) setErrors((e) => Object.fromEntries(Object.entries(e).filter(([k]) => !clear.includes(k))));
    save.reset();
  };
  const setNumber = (field: NumberField) => (event: { target: { value: string } }) => update({ [field]: event.target.value }, [field]);
  const setCache = (change: Partial<RoutingDraft['cache']>) => update({ cache: { ...draft.cache, ...change } }, ['cache.ttl', 'cache.port']);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!dirty || save.isPending) return;
    const found = validateDraft(draft);
    setErrors(found);
    if (Object.keys(found).length) {
      setBlocked(true);
      return;
    }
    setBlocked(false);
    save.mutate(changeBody(draft, base), {
      onSuccess: () => {
        setEdited(null);
        toast.notify('Routing saved', 'success');
      },
      onError: (error) => {
        const place = error instanceof ApiError ? placeOfParam(error.param, draft) : undefined;
        if (place) setErrors((e) => ({ ...e, [place]: error.message }));
      },
    });
  };

  const discard = () => {
    setEdited(null);
    setErrors({});
    setBlocked(false);
    save.reset();
  };

  const stillInvalid = blocked && Object.keys(validateDraft(draft)).length > 0;

  return (
    <form className="routing-form" onSubmit={submit} noValidate>
      {SECTIONS.map((section) => (
        <ChainSection
          key={section.kind}
          title={section.title}
          description={section.description}
          addLabel={section.addLabel}
          chains={draft[section.kind]}
          groups={groups}
          errorOf={(chain) => errors[`${section.kind}:${chain.key}`]}
          onChange={(chains) =>
            update(
              { [section.kind]: chains },
              draft[section.kind].map((c) => `${section.kind}:${c.key}`),
            )
          }
        />
      ))}

      <section className="card routing-section" aria-labelledby="routing-default-fallbacks">
        <h2 id="routing-default-fallbacks">Default fallbacks</h2>
        <p className="muted">Tried in order for any model group without its own fallback chain.</p>
        <TargetList
          targets={draft.default_fallbacks}
          candidates={groups.filter((g) => !draft.default_fallbacks.includes(g))}
          groups={groups}
          onChange={(default_fallbacks) => update({ default_fallbacks })}
          emptyText="No default fallbacks."
        />
      </section>

      <section className="card routing-section" aria-labelledby="routing-retries">
        <h2 id="routing-retries">Retries and timeouts</h2>
        <div className="form-grid">
          {(Object.entries(NUMBER_FIELDS) as [NumberField, (typeof NUMBER_FIELDS)[NumberField]][]).map(([field, spec]) => (
            <TextField
              key={field}
              label={spec.label}
              type="number"
              min={0}
              step={spec.integer ? 1 : 'any'}
              inputMode={spec.integer ? 'numeric' : 'decimal'}
              value={draft[field]}
              onChange={setNumber(field)}
              error={errors[field]}
              hint={spec.hint}
            />
          ))}
        </div>
      </section>

      <section className="card routing-section" aria-labelledby="routing-balancing">
        <h2 id="routing-balancing">Load balancing</h2>
        <p className="muted">How the gateway picks among the deployments of one model group.</p>
        <div className="form-grid">
          <SelectField
            label="Routing strategy"
            value={draft.routing_strategy}
            options={STRATEGIES}
            onChange={(event) => update({ routing_strategy: event.target.value as RoutingDraft['routing_strategy'] })}
          />
        </div>
      </section>

      <section className="card routing-section" aria-labelledby="routing-cache">
        <h2 id="routing-cache">Cache</h2>
        <p className="muted">Identical requests are answered from the cache, at no cost.</p>
        <CheckboxField label="Cache responses" checked={draft.cache.enabled} onChange={(event) => setCache({ enabled: event.target.checked })} />
        <div className="form-grid">
          <SelectField
            label="Cache type"
            value={draft.cache.type}
            options={CACHE_TYPES}
            disabled={!draft.cache.enabled}
            onChange={(event) => setCache({ type: event.target.value === 'redis' ? 'redis' : 'local' })}
          />
          <TextField
            label="TTL (s)"
            type="number"
            min={0}
            step="any"
            inputMode="decimal"
            placeholder="600"
            value={draft.cache.ttl}
            disabled={!draft.cache.enabled}
            onChange={(event) => setCache({ ttl: event.target.value })}
            error={errors['cache.ttl']}
            hint="How long an answer is kept; empty: 600."
          />
          {draft.cache.type === 'redis' && (
            <>
              <TextField
                label="Redis host"
                placeholder="127.0.0.1"
                value={draft.cache.host}
                disabled={!draft.cache.enabled}
                onChange={(event) => setCache({ host: event.target.value })}
                autoComplete="off"
              />
              <TextField
                label="Redis port"
                type="number"
                min={1}
                max={65535}
                step={1}
                inputMode="numeric"
                placeholder="6379"
                value={draft.cache.port}
                disabled={!draft.cache.enabled}
                onChange={(event) => setCache({ port: event.target.value })}
                error={errors['cache.port']}
              />
            </>
          )}
        </div>
      </section>

      <div className="routing-actions">
        <div className="routing-status">
          {stillInvalid && (
            <p className="field-error" role="alert">
              Some settings need fixing (marked above) before they can be saved.
            </p>
          )}
          {save.error && (
            <p className="field-error" role="alert">
              {serverMessage(save.error)}
            </p>
          )}
          {!stillInvalid && !save.error && (
            <span className="muted" aria-live="polite">
              {dirty ? `Unsaved changes: ${changed.length} ${changed.length === 1 ? 'setting' : 'settings'}.` : 'No unsaved changes.'}
            </span>
          )}
        </div>
        <button type="button" className="button" onClick={discard} disabled={!dirty && !save.error && Object.keys(errors).length === 0}>
          Discard changes
        </button>
        <button type="submit" className="button primary" disabled={!dirty || save.isPending} aria-busy={save.isPending || undefined}>
          Save routing
        </button>
      </div>
    </form>
  );
}

export function RoutingPage() {
  const routing = useRouting();
  return (
    <section className="page routing-page">
      <PageHeader
        title="Routing"
        description="What the gateway does when a model fails, how it retries and balances between deployments, and what it caches. Saved to config.yaml."
      />
      <QueryState query={routing}>{(answer) => <RoutingEditor answer={answer} />}</QueryState>
    </section>
  );
}
