/**
 * Fakes for the pipeline's unit tests: a runtime on real router, health, limits, metrics and an unconfigured
 * cache, whose spend journal is an array; and a surface whose attempts answer as scripted per deployment id.
 */
import type { ServerResponse } from 'node:http';
import { ResponseCacheService } from '../../cache/cache-service.ts';
import { emptyConfig } from '../../core/config-types.ts';
import type { GatewayServices } from '../../metering/services.ts';
import { createLogger } from '../../observe/logger.ts';
import { GatewayMetrics } from '../../observe/metrics.ts';
import type { Deployment, Usage } from '../../providers/types.ts';
import type { WriteEventsResult } from '../../proxy/event-writer.ts';
import { DeploymentHealth } from '../../router/deployment-health.ts';
import { DeploymentLimits } from '../../router/deployment-limits.ts';
import { ModelRouter } from '../../router/model-router.ts';
import { routerSettings, type RouterSettings } from '../../router/router-settings.ts';
import { PriceBook } from '../../spend/price-book.ts';
import type { SpendRow } from '../../spend/spend-log.ts';
import type { PipelineRuntime } from '../runtime.ts';
import type { Answer, Surface, SurfaceCall } from '../surface.ts';

export interface FakeRuntime {
  runtime: PipelineRuntime;
  /** The spend rows, in the order they were journaled. */
  rows: SpendRow[];
  /** The debug log lines, parsed. */
  lines(): Record<string, unknown>[];
  metricsText(): Promise<string>;
}

export function fakeRuntime(deployments: Deployment[], routing: Partial<RouterSettings> = {}): FakeRuntime {
  const rows: SpendRow[] = [];
  const { logger, ring } = createLogger({ level: 'debug', destination: null });
  const metrics = new GatewayMetrics({ processMetrics: false });
  const runtime: PipelineRuntime = {
    state: { router: new ModelRouter(deployments), routing: { ...routerSettings(emptyConfig()), ...routing }, prices: new PriceBook(new Map()) },
    // Open callers touch no key: the journal is the only service a call uses.
    services: { journal: { append: (row: SpendRow) => rows.push(row) } } as unknown as GatewayServices,
    health: new DeploymentHealth(),
    limits: new DeploymentLimits(),
    metrics,
    cache: new ResponseCacheService(logger),
    logger,
  };
  return { runtime, rows, lines: () => ring.tail().map((line) => JSON.parse(line) as Record<string, unknown>), metricsText: () => metrics.text() };
}

/** What a scripted attempt does: throw, answer JSON, or stream frames (then end, or break with an error). */
export type Scripted = { fail: unknown } | { json: Record<string, unknown>; usage?: Usage } | { frames: string[]; breakWith?: Error; usage?: Usage };

export interface ScriptedSurface extends Surface<SurfaceCall, string> {
  /** `provider:deployment id` of every call prepared, in order. */
  prepared: string[];
  /** What the fake writer wrote, and the spend rows journaled when it ended the response. */
  written: string[];
  rowsWhenEnded: number | undefined;
  closed: boolean;
}

async function* framesOf(frames: string[], breakWith: Error | undefined): AsyncGenerator<string> {
  for (const frame of frames) yield frame;
  if (breakWith) throw breakWith;
}

export function scriptedSurface(fake: FakeRuntime, script: Record<string, Scripted>, options: { billed?: boolean; stream?: boolean } = {}): ScriptedSurface {
  const surface: ScriptedSurface = {
    billedAs: options.billed === false ? undefined : 'chat',
    stream: options.stream ?? false,
    model: undefined,
    prepared: [],
    written: [],
    rowsWhenEnded: undefined,
    closed: false,
    prepare: (deployment, modelGroup) => {
      surface.prepared.push(`${deployment.provider}:${deployment.id}`);
      return { deployment, modelGroup };
    },
    attempt: async (call): Promise<Answer<string>> => {
      const step = script[call.deployment.id];
      if (!step) throw new Error(`nothing scripted for ${call.deployment.id}`);
      if ('fail' in step) throw step.fail;
      call.usage = step.usage;
      if ('json' in step) return { kind: 'json', status: 200, body: step.json, usage: step.usage };
      return {
        kind: 'stream',
        frames: framesOf(step.frames, step.breakWith),
        usage: () => step.usage,
        toError: (err) => err as Error,
        close: () => (surface.closed = true),
      };
    },
    // Like proxy/event-writer.ts: frames, then beforeEnd, then the response ends.
    writeStream: async (_res: ServerResponse, frames, toError, beforeEnd) => {
      const result: WriteEventsResult = {};
      try {
        for await (const frame of frames) {
          result.firstFrameAt ??= performance.now();
          surface.written.push(frame);
        }
      } catch (err) {
        result.error = toError(err);
      }
      beforeEnd(result);
      surface.rowsWhenEnded = fake.rows.length;
      return result;
    },
  };
  return surface;
}
