/**
 * Anthropic's extended thinking and OpenAI's reasoning effort, both ways. Anthropic sets a token budget
 * (`thinking: {type: 'enabled', budget_tokens}`, at least 1024); OpenAI-style providers take a level
 * (`reasoning_effort`). The levels and budgets are chosen so a round trip keeps the level:
 *
 * | reasoning_effort  | budget_tokens sent | budget_tokens read back as |
 * |-------------------|--------------------|----------------------------|
 * | minimal           | 1024               | low                        |
 * | low               | 2048               | low      (below 4096)      |
 * | medium            | 8192               | medium   (4096 – 16383)    |
 * | high              | 24576              | high     (16384 and over)  |
 *
 * Claude Code's default budget (31999) reads as high; `adaptive` thinking (the model decides) as medium,
 * which is OpenAI's own default effort.
 */
import { isRecord } from './wire.ts';

export type ReasoningEffort = 'low' | 'medium' | 'high';

export const MIN_THINKING_BUDGET = 1024;
const LOW_BELOW = 4096;
const MEDIUM_BELOW = 16384;

const BUDGETS: Readonly<Record<string, number>> = { minimal: MIN_THINKING_BUDGET, low: 2048, medium: 8192, high: 24576 };

/** A thinking budget as an effort level. */
export function effortForBudget(budget: number): ReasoningEffort {
  if (budget < LOW_BELOW) return 'low';
  if (budget < MEDIUM_BELOW) return 'medium';
  return 'high';
}

/**
 * Anthropic's `thinking` request field as an effort level: undefined when thinking is off (absent, disabled,
 * or a type this gateway does not know).
 */
export function effortForThinking(thinking: unknown): ReasoningEffort | undefined {
  if (!isRecord(thinking)) return undefined;
  if (thinking.type === 'enabled' && typeof thinking.budget_tokens === 'number') return effortForBudget(thinking.budget_tokens);
  if (thinking.type === 'adaptive') return 'medium';
  return undefined;
}

/** Anthropic's `output_config.effort` (low … max) as an OpenAI effort level. */
export function effortForOutputEffort(effort: unknown): ReasoningEffort | undefined {
  if (effort === 'low' || effort === 'medium' || effort === 'high') return effort;
  if (effort === 'xhigh' || effort === 'max') return 'high';
  return undefined;
}

/** The budget for an OpenAI effort level; undefined for `none` and unknown levels. */
export function budgetForEffort(effort: unknown): number | undefined {
  return typeof effort === 'string' && Object.hasOwn(BUDGETS, effort) ? BUDGETS[effort] : undefined;
}
