/**
 * Ordered lists of model groups: a fallback chain (source model → targets tried in order), a section of
 * chains, and the default fallbacks. Every target has Move up / Move down / Remove named after it.
 */
import { useId, useState } from 'react';
import { SelectField } from '../../components/Field.tsx';
import { newChain, type Chain } from './routing-form.ts';

const NOT_A_GROUP = ' (not a model group)';

export function TargetList({
  targets,
  candidates,
  groups,
  onChange,
  emptyText,
}: {
  targets: string[];
  /** Model groups that may be added (not in the list, not the chain's source). */
  candidates: string[];
  groups: string[];
  onChange: (targets: string[]) => void;
  emptyText: string;
}) {
  const [pick, setPick] = useState('');
  const chosen = candidates.includes(pick) ? pick : (candidates[0] ?? '');
  const move = (from: number, to: number) => {
    const next = [...targets];
    const [item] = next.splice(from, 1);
    next.splice(to, 0, item!);
    onChange(next);
  };
  return (
    <div className="target-list">
      {targets.length === 0 ? (
        <p className="muted target-empty">{emptyText}</p>
      ) : (
        <ol>
          {targets.map((target, i) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: a chain may name a group twice; the position is its identity
            <li key={`${target}-${i}`} className="target">
              <span className="target-name">
                {target}
                {!groups.includes(target) && <span className="field-error">{NOT_A_GROUP}</span>}
              </span>
              <span className="target-buttons">
                <button
                  type="button"
                  className="button small"
                  aria-label={`Move ${target} up`}
                  title="Move up"
                  disabled={i === 0}
                  onClick={() => move(i, i - 1)}
                >
                  ↑
                </button>
                <button
                  type="button"
                  className="button small"
                  aria-label={`Move ${target} down`}
                  title="Move down"
                  disabled={i === targets.length - 1}
                  onClick={() => move(i, i + 1)}
                >
                  ↓
                </button>
                <button
                  type="button"
                  className="button small"
                  aria-label={`Remove ${target}`}
                  title="Remove"
                  onClick={() => onChange(targets.filter((_, j) => j !== i))}
                >
                  ×
                </button>
              </span>
            </li>
          ))}
        </ol>
      )}
      <div className="target-add">
        <SelectField
          label="Add target"
          value={chosen}
          disabled={candidates.length === 0}
          onChange={(event) => setPick(event.target.value)}
          options={candidates.length ? candidates.map((g) => ({ value: g, label: g })) : [{ value: '', label: 'No other model groups' }]}
        />
        <button type="button" className="button" disabled={!chosen} onClick={() => chosen && onChange([...targets, chosen])}>
          Add
        </button>
      </div>
    </div>
  );
}

function ChainEditor({
  chain,
  groups,
  takenSources,
  error,
  onChange,
  onRemove,
}: {
  chain: Chain;
  groups: string[];
  /** Sources other chains of this section already have. */
  takenSources: Set<string>;
  error: string | undefined;
  onChange: (chain: Chain) => void;
  onRemove: () => void;
}) {
  const errorId = useId();
  const sources = groups.filter((g) => g === chain.source || !takenSources.has(g));
  const sourceOptions = [
    { value: '', label: 'Choose a model…' },
    ...(chain.source && !groups.includes(chain.source) ? [{ value: chain.source, label: chain.source + NOT_A_GROUP }] : []),
    ...sources.map((g) => ({ value: g, label: g })),
  ];
  return (
    <div
      className={error ? 'chain chain-invalid' : 'chain'}
      role="group"
      aria-label={chain.source ? `Chain for ${chain.source}` : 'New chain'}
      aria-describedby={error ? errorId : undefined}
    >
      <div className="chain-source">
        <SelectField label="Model" value={chain.source} options={sourceOptions} onChange={(event) => onChange({ ...chain, source: event.target.value })} />
        <span className="chain-arrow" aria-hidden="true">
          →
        </span>
      </div>
      <div className="chain-targets">
        <span className="chain-targets-label muted">then, in order</span>
        <TargetList
          targets={chain.targets}
          candidates={groups.filter((g) => g !== chain.source && !chain.targets.includes(g))}
          groups={groups}
          onChange={(targets) => onChange({ ...chain, targets })}
          emptyText="No targets yet."
        />
      </div>
      <div className="chain-remove">
        <button type="button" className="button small danger" onClick={onRemove}>
          Remove chain
        </button>
      </div>
      {error && (
        <p id={errorId} className="field-error chain-error" role="alert">
          {error}
        </p>
      )}
    </div>
  );
}

export function ChainSection({
  title,
  description,
  addLabel,
  chains,
  groups,
  errorOf,
  onChange,
}: {
  title: string;
  description: string;
  /** The "Add … chain" button's text and accessible name, unique on the page. */
  addLabel: string;
  chains: Chain[];
  groups: string[];
  errorOf: (chain: Chain) => string | undefined;
  onChange: (chains: Chain[]) => void;
}) {
  const headingId = useId();
  const replace = (key: number, next: Chain | undefined) => onChange(chains.flatMap((c) => (c.key !== key ? [c] : next ? [next] : [])));
  return (
    <section className="card routing-section" aria-labelledby={headingId}>
      <div className="routing-section-header">
        <div>
          <h2 id={headingId}>{title}</h2>
          <p className="muted">{description}</p>
        </div>
        {/* The visible text is the accessible name (no aria-label over it), unique on the page: speech and screen-reader users say what they see. */}
        <button type="button" className="button" onClick={() => onChange([...chains, newChain()])}>
          {addLabel}
        </button>
      </div>
      {chains.length === 0 ? (
        <p className="muted">No chains.</p>
      ) : (
        <div className="chains">
          {chains.map((chain) => (
            <ChainEditor
              key={chain.key}
              chain={chain}
              groups={groups}
              takenSources={new Set(chains.filter((c) => c.key !== chain.key && c.source).map((c) => c.source))}
              error={errorOf(chain)}
              onChange={(next) => replace(chain.key, next)}
              onRemove={() => replace(chain.key, undefined)}
            />
          ))}
        </div>
      )}
    </section>
  );
}
