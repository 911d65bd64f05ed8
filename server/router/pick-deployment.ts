/**
 * simple-shuffle, LiteLLM's default: a random deployment of the group, weighted by `weight`, else by
 * `rpm`, else by `tpm` when the group sets them, else uniform.
 */
import type { Deployment } from '../providers/types.ts';

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
