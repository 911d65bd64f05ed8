/**
 * Which deployments may serve a requested model name: exact model groups first, then wildcard groups
 * (`openai/*`, `*`, as in LiteLLM), then the single-model catch-all of `--model`.
 */
import { modelNotFound } from '../core/errors.ts';
import type { Deployment } from '../providers/types.ts';

export interface ModelGroup {
  modelName: string;
  deployments: Deployment[];
}

interface WildcardGroup {
  pattern: RegExp;
  deployments: Deployment[];
}

const escapeRegExp = (s: string) => s.replace(/[.+?^${}()|[\]\\]/g, '\\$&');

export class ModelRouter {
  private readonly groups = new Map<string, ModelGroup>();
  private readonly wildcards: WildcardGroup[] = [];
  /** Resolved wildcard matches, so the regex work happens once per distinct name. */
  private readonly wildcardCache = new Map<string, ModelGroup>();

  constructor(
    readonly deployments: Deployment[],
    private readonly catchAll?: string,
  ) {
    for (const d of deployments) {
      if (d.modelName.includes('*')) {
        const pattern = new RegExp(`^${d.modelName.split('*').map(escapeRegExp).join('(.*)')}$`);
        const existing = this.wildcards.find((w) => w.pattern.source === pattern.source);
        if (existing) existing.deployments.push(d);
        else this.wildcards.push({ pattern, deployments: [d] });
        continue;
      }
      const group = this.groups.get(d.modelName);
      if (group) group.deployments.push(d);
      else this.groups.set(d.modelName, { modelName: d.modelName, deployments: [d] });
    }
  }

  /** Model names clients can ask for, in config order (wildcard patterns are not listed). */
  modelNames(): string[] {
    return [...this.groups.keys()];
  }

  /** The first model in model_list answers requests that name no model. */
  defaultModel(): string | undefined {
    return this.deployments.find((d) => !d.modelName.includes('*'))?.modelName;
  }

  resolve(requested: string | undefined): ModelGroup {
    const name = requested ?? this.defaultModel();
    if (name === undefined) throw modelNotFound('(none)', []);
    const exact = this.groups.get(name);
    if (exact) return exact;
    const cached = this.wildcardCache.get(name);
    if (cached) return cached;
    for (const w of this.wildcards) {
      const match = w.pattern.exec(name);
      if (!match) continue;
      const group = { modelName: name, deployments: w.deployments.map((d) => substituteWildcard(d, name, match[1] ?? name)) };
      if (this.wildcardCache.size < 10_000) this.wildcardCache.set(name, group);
      return group;
    }
    if (this.catchAll !== undefined) {
      const group = this.groups.get(this.catchAll);
      if (group) return group;
    }
    throw modelNotFound(name, this.modelNames());
  }
}

/**
 * `openai/*` serving `openai/gpt-4o`: the upstream model takes the part the star matched. Such a copy is a
 * deployment of its own — its price, health, cooldown and rpm/tpm are the concrete model's, not shared by every
 * model the wildcard serves — so it gets its own id: the configured id, a colon, the upstream model
 * (`wildcardCopyId`). A wildcard group with a fixed upstream model serves one model: its copies keep the id.
 */
function substituteWildcard(d: Deployment, requested: string, matched: string): Deployment {
  if (!d.upstreamModel.includes('*')) return { ...d, modelName: requested };
  const upstreamModel = d.upstreamModel.replace('*', matched);
  return { ...d, id: wildcardCopyId(d.id, upstreamModel), modelName: requested, upstreamModel };
}

/** The id of a wildcard deployment's copy for one upstream model (x-litellm-model-id, spend rows, health). */
export function wildcardCopyId(configuredId: string, upstreamModel: string): string {
  return `${configuredId}:${upstreamModel}`;
}

/** The upstream model of a copy of the deployment `configuredId`, read from the copy's id; undefined for any other id. */
export function parseWildcardCopyId(id: string, configuredId: string): string | undefined {
  const prefix = `${configuredId}:`;
  return id.startsWith(prefix) && id.length > prefix.length ? id.slice(prefix.length) : undefined;
}
