/** What the router knows about one deployment at one moment: kept by DeploymentHealth, turned into JSON by deployment-snapshot.ts. */
import type { OutcomeSummary } from './outcome-ring.ts';

export interface LastError {
  /** Masked: anything that looks like a key is shown as `sk-…abcd` at most. */
  message: string;
  status: number;
  at: number;
}

/** The outcome of the last active check (a probe from /health or the background checks). */
export interface CheckResult {
  at: number;
  /** Opted out (`model_info.disable_background_health_check`): not probed. */
  skipped?: boolean;
  healthy: boolean;
  /** Masked, as LastError.message. */
  error?: string;
  latencyMs?: number;
}

/** Everything known about one deployment at one moment (see deployment-snapshot.ts for the JSON). */
export interface DeploymentView {
  now: number;
  coolUntil: number;
  inFlight: number;
  window: OutcomeSummary;
  totalSuccesses: number;
  totalErrors: number;
  lastError: LastError | undefined;
  lastCheck: CheckResult | undefined;
}
