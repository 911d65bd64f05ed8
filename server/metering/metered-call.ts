/**
 * The money side of one call: admission against the caller's key before it (budget reservation and
 * rate limits), then one spend row and the settlement of the reservation after it — both in one
 * SQLite transaction, committed before the client sees the end of its answer.
 */
import type { BudgetHold, CallCost } from '../keys/budget-reservations.ts';
import type { Caller } from '../keys/caller.ts';
import type { Admission } from '../keys/key-limits.ts';
import type { Logger } from '../observe/logger.ts';
import { maskSecretsIn } from '../observe/mask-keys.ts';
import type { Deployment, Usage } from '../providers/types.ts';
import { costNanos, rerankCostNanos, tokenCounts, worstCaseNanos } from '../spend/cost.ts';
import type { PriceBook, TokenPrices } from '../spend/price-book.ts';
import type { SpendEndpoint, SpendRow } from '../spend/spend-log.ts';
import { countPromptTokens, estimateUsage } from '../spend/tokenizer.ts';
import type { GatewayServices } from './services.ts';
import { answersInProcess } from '../providers/registry.ts';
import { warnUnpriced } from './unpriced-warnings.ts';

/** Output tokens assumed for a reservation when neither the request nor the price table bounds them. */
const DEFAULT_MAX_OUTPUT_TOKENS = 4096;

export interface CallOutcome {
  httpStatus: number;
  /** The provider's usage, if it reported any. */
  usage?: Usage | undefined;
  /** The generated text, for an estimate when the provider reported no usage. */
  completionText?: (() => string) | undefined;
  /** `message` is what the client was told (an upstream's own message included); masked before it is stored. */
  error?: { type: string; code: string | null; message?: string | undefined } | undefined;
  /** ms from the request's arrival to the first streamed event. */
  ttftMs?: number | undefined;
}

export interface Metering {
  services: GatewayServices;
  prices: PriceBook;
  logger: Logger;
  /** The secrets the gateway holds now, masked out of a stored error message (with every key-shaped token). */
  secrets?: () => readonly string[];
}

/** A stored error message is capped: an upstream may answer a whole HTML page. */
export const MAX_ERROR_MESSAGE_CHARS = 2000;

export class MeteredCall {
  readonly startedAt = Date.now();
  readonly startedPerf = performance.now();
  private deployment: Deployment | undefined;
  private modelGroup: string | null = null;
  private prices: TokenPrices | undefined;
  private admission: Admission | undefined;
  /** The call's budget reservation; it follows the call from deployment to deployment. */
  private budget: BudgetHold | undefined;
  private promptTokens: number | undefined;
  private finished = false;
  private cacheHit = false;
  private cachedModel: string | undefined;
  /** What the call cost, once finished. */
  costNanos = 0;

  constructor(
    private readonly metering: Metering,
    readonly caller: Caller,
    readonly requestId: string,
    readonly endpoint: SpendEndpoint,
    private readonly body: Record<string, unknown>,
    readonly stream: boolean,
    /** The body whose prompt the token estimates count, when it is more than the request's own (a Responses call's history). */
    private readonly promptBody: () => Record<string, unknown> = () => body,
  ) {}

  /**
   * Reserves the call's worst case against the caller's key's budget and checks its rate limits (429 when
   * over). Counting prompt tokens costs a tokenizer pass, so it happens only for keys that need it.
   */
  admit(deployment: Deployment, modelGroup: string): void {
    const prices = this.pricesAt(deployment, modelGroup);
    this.deployment = deployment;
    this.modelGroup = modelGroup;
    this.prices = prices;
    if (this.caller.kind !== 'virtual') return;
    const key = this.caller.key;
    const { budgets, limiter } = this.metering.services;
    const tokens = key.tpmLimit !== null ? this.promptTokensOnce() + this.outputTokensOf(deployment) : 0;
    const budget = key.maxBudgetNanos !== null ? budgets.reserve(key, this.worstCaseOf(deployment, this.prices)) : undefined;
    try {
      // The budget is reserved above; the limiter keeps rates and parallel calls.
      this.admission = limiter.admit(key, { worstCaseNanos: 0, estimatedTokens: tokens });
    } catch (err) {
      budget?.release();
      throw err;
    }
    this.budget = budget;
    this.metering.services.keys.touch(key.id, this.startedAt);
  }

  /**
   * Answered from the response cache: no upstream call, no cost. The key's rate limits and budget still
   * apply (an exhausted key is refused as for any call); nothing is reserved.
   */
  admitCacheHit(modelGroup: string, answeredModel: string | undefined): void {
    this.modelGroup = modelGroup;
    this.cacheHit = true;
    this.cachedModel = answeredModel;
    if (this.caller.kind !== 'virtual') return;
    // Reserving nothing still refuses a key whose budget is spent or claimed by calls in flight.
    if (this.caller.key.maxBudgetNanos !== null) this.metering.services.budgets.reserve(this.caller.key, 0).release();
    this.admission = this.metering.services.limiter.admit(this.caller.key, { worstCaseNanos: 0, estimatedTokens: 0 });
    this.metering.services.keys.touch(this.caller.key.id, this.startedAt);
  }

  /**
   * The router moved the call to another deployment (a retry or a fallback): the budget reservation, the
   * row and the price follow. Throws the budget's 429 when the new deployment's worst case no longer fits.
   */
  servedBy(deployment: Deployment, modelGroup: string): void {
    const prices = this.pricesAt(deployment, modelGroup);
    if (this.budget && this.caller.kind === 'virtual') this.budget.move(this.worstCaseOf(deployment, prices));
    this.deployment = deployment;
    this.modelGroup = modelGroup;
    this.prices = prices;
  }

  /**
   * The deployment's prices; throws 400 model_unpriced (keys/budget-reservations.ts) when it has none and the key
   * has a budget — before anything about the call changes, so the router may still take it elsewhere.
   */
  private pricesAt(deployment: Deployment, modelGroup: string): TokenPrices {
    const prices = this.metering.prices.priceOf(deployment);
    if (!prices.known) {
      warnUnpriced(deployment, this.metering.logger);
      if (this.caller.kind === 'virtual') this.metering.services.budgets.checkPriced(this.caller.key, deployment, modelGroup, false);
    }
    return prices;
  }

  get admitted(): boolean {
    return this.deployment !== undefined;
  }

  private promptTokensOnce(): number {
    this.promptTokens ??= countPromptTokens(this.endpoint, this.promptBody());
    return this.promptTokens;
  }

  private outputTokensOf(deployment: Deployment): number {
    return this.endpoint === 'embeddings' || this.endpoint === 'rerank' ? 0 : this.maxOutputTokens(deployment);
  }

  /**
   * The most the call can cost at this deployment: its prompt and all the output it may produce; a rerank call, its
   * query at the per-query price (certain) and its tokens at any token price.
   */
  private worstCaseOf(deployment: Deployment, prices: TokenPrices): CallCost {
    if (this.endpoint === 'rerank') return rerankCostNanos(this.promptTokensOnce(), prices);
    return worstCaseNanos(this.promptTokensOnce(), this.outputTokensOf(deployment), prices);
  }

  private maxOutputTokens(deployment: Deployment): number {
    const asked = this.body.max_tokens ?? this.body.max_completion_tokens ?? this.body.max_output_tokens ?? deployment.defaults.max_tokens;
    if (typeof asked === 'number' && asked > 0) return asked;
    return this.metering.prices.maxOutputTokensOf(deployment) ?? DEFAULT_MAX_OUTPUT_TOKENS;
  }

  /**
   * Records the call once (later calls are ignored): the key's spend at once in memory, the spend row
   * (which carries the key's cost into SQLite) in the spend journal. Durable when it returns, so the
   * response may end after it; never throws.
   */
  finish(outcome: CallOutcome): void {
    if (this.finished) return;
    this.finished = true;
    try {
      const { usage, usageSource } = this.usageOf(outcome);
      this.costNanos = !this.cacheHit && usage && this.prices ? costNanos(usage, this.prices, this.endpoint) : 0;
      const row = this.row(outcome, usage, usageSource);
      const { journal } = this.metering.services;
      try {
        if (this.admission) this.admission.settle({ costNanos: this.costNanos, tokens: row.totalTokens, inTransaction: () => journal.append(row) });
        else journal.append(row);
      } finally {
        // Freed only once the cost is counted as spent, with no await between: no admission sees neither.
        this.budget?.release();
      }
    } catch (err) {
      this.admission?.release();
      this.budget?.release();
      this.metering.logger.error({ err, requestId: this.requestId }, 'could not record the spend of a call');
    }
  }

  private usageOf(outcome: CallOutcome): { usage: Usage | undefined; usageSource: SpendRow['usageSource'] } {
    if (outcome.usage) return { usage: outcome.usage, usageSource: 'provider' };
    const text = outcome.completionText?.();
    // Tokens were spent if the upstream answered at all; estimate them with a real tokenizer.
    if (this.deployment && (outcome.httpStatus < 400 || text)) {
      return { usage: estimateUsage(this.endpoint, this.promptBody(), text ?? ''), usageSource: 'estimated' };
    }
    return { usage: undefined, usageSource: 'none' };
  }

  private row(outcome: CallOutcome, usage: Usage | undefined, usageSource: SpendRow['usageSource']): SpendRow {
    const d = this.deployment;
    const key = this.caller.kind === 'virtual' ? this.caller.key : undefined;
    const counts = usage ? tokenCounts(usage) : { promptTokens: 0, completionTokens: 0, cachedTokens: 0, cacheCreationTokens: 0, totalTokens: 0 };
    const endTime = Date.now();
    // The name the client sent: modelGroup may differ (a key alias, a fallback to another group).
    const requested = typeof this.body.model === 'string' ? this.body.model : null;
    return {
      requestId: this.requestId,
      keyId: key?.id ?? null,
      keyHash: key?.keyHash ?? null,
      keyAlias: key?.keyAlias ?? null,
      endpoint: this.endpoint,
      modelGroup: this.modelGroup ?? requested,
      requestedModel: requested,
      deploymentId: d?.id ?? null,
      provider: d?.provider ?? null,
      apiBase: d && !answersInProcess(d.provider) ? d.apiBase : null,
      model: d?.upstreamModel ?? this.cachedModel ?? null,
      ...counts,
      costNanos: this.costNanos,
      startTime: this.startedAt,
      endTime,
      durationMs: Math.round((performance.now() - this.startedPerf) * 1000) / 1000,
      ttftMs: outcome.ttftMs ?? null,
      stream: this.stream,
      status: outcome.httpStatus < 400 ? 'success' : 'failure',
      httpStatus: outcome.httpStatus,
      errorType: outcome.error ? (outcome.error.code ?? outcome.error.type) : null,
      errorMessage: outcome.error?.message ? this.storedMessage(outcome.error.message) : null,
      endUser:
        typeof this.body.user === 'string'
          ? this.body.user
          : typeof (this.body.metadata as { user_id?: unknown } | undefined)?.user_id === 'string'
            ? String((this.body.metadata as { user_id: string }).user_id)
            : null,
      usageSource,
      cacheHit: this.cacheHit,
      // A call that reached no deployment (or the cache) was priced by nothing; the column's default says so.
      costSource: this.prices && !this.cacheHit ? this.prices.source : 'price_table',
    };
  }

  /** Masked before it is cut, so a cut never leaves half a secret unrecognised. */
  private storedMessage(message: string): string {
    const masked = maskSecretsIn(message, this.metering.secrets?.() ?? []);
    return masked.length > MAX_ERROR_MESSAGE_CHARS ? `${masked.slice(0, MAX_ERROR_MESSAGE_CHARS - 1)}…` : masked;
  }
}
