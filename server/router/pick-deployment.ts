/**
 * simple-shuffle, LiteLLM's default: a random deployment of the group, weighted by `weight`, else by
 * `rpm`, else by `tpm` when the group sets them, else uniform.
 */
import type { Deployment } from '../providers/types.ts';
import type { RoutingStrategy } from './router-settings.ts';

function weightOf(d: Deployment, key: 'weight' | 'rpm' | 'tpm'): number | undefined {
  const value = d.params[key] ?? d.modelInfo[key];
  return typeof value === 'number' && value > 0 ? value : undefined;
}

export function pickDeployment(deployments: readonly Deployment[], random: () => number = Math.random): Deployment {
  const only = deployments[0];
  if (!only) throw new Error('pickDeployment needs at least one deployment');
  if (deployments.length === 1) return only;
  for (const key of ['weight', 'rpm', 'tpm'] as const) {
    if (!deployments.some((d) => weightOf(d, key) !== undefined)) continue;
    const weights = deployments.map((d) => weightOf(d, key) ?? 0);
    let point = random() * weights.reduce((a, b) => a + b, 0);
    for (let i = 0; i < deployments.length; i++) {
      point -= weights[i]!;
      if (point < 0) return deployments[i]!;
    }
    return deployments[deployments.length - 1]!;
  }
  return deployments[Math.floor(random() * deployments.length)]!;
}

/** The deployment with the smallest score; ties broken at random so equal deployments share load. */
function lowest(deployments: readonly Deployment[], score: (d: Deployment) => number, random: () => number): Deployment {
  let best: Deployment[] = [];
  let bestScore = Infinity;
  for (const d of deployments) {
    const s = score(d);
    if (s < bestScore) {
      best = [d];
      bestScore = s;
    } else if (s === bestScore) best.push(d);
  }
  return best[Math.floor(random() * best.length)] ?? deployments[0]!;
}

export interface DeploymentLoad {
  inFlight(id: string): number;
  latencyMs(id: string): number | undefined;
  tokensLastMinute(id: string): number;
}

/**
 * router_settings.routing_strategy: simple-shuffle (weighted random), least-busy (fewest in flight),
 * latency-based-routing (lowest average latency; an untried deployment first, so each gets measured),
 * usage-based-routing (fewest tokens this minute, relative to its tpm when it has one).
 */
export function pickByStrategy(
  deployments: readonly Deployment[],
  strategy: RoutingStrategy,
  load: DeploymentLoad,
  random: () => number = Math.random,
): Deployment {
  if (deployments.length <= 1 || strategy === 'simple-shuffle') return pickDeployment(deployments, random);
  if (strategy === 'least-busy') return lowest(deployments, (d) => load.inFlight(d.id), random);
  if (strategy === 'latency-based-routing') return lowest(deployments, (d) => load.latencyMs(d.id) ?? -1, random);
  return lowest(deployments, (d) => load.tokensLastMinute(d.id) / (weightOf(d, 'tpm') ?? 1), random);
}
