/**
 * reasoning_effort (OpenAI) or thinking (Anthropic's shape, which LiteLLM also takes) → Gemini's thinkingConfig.
 * Gemini 2.5 takes a token budget; Gemini 3 takes a level instead. Thoughts are asked for whenever thinking is on,
 * so the answer's reasoning reaches the client as reasoning_content.
 */
import { badRequest } from '../../../core/errors.ts';
import { isRecord } from './wire.ts';

/** LiteLLM's budgets per effort, so a config moved from LiteLLM thinks as much as it did there. */
const BUDGETS: Readonly<Record<string, number>> = { minimal: 128, low: 1024, medium: 2048, high: 4096 };

const isLevelModel = (model: string) => /(^|\/)gemini-3/.test(model);

export function toThinkingConfig(body: Record<string, unknown>, model: string): Record<string, unknown> | undefined {
  if (isRecord(body.thinking)) return fromAnthropicThinking(body.thinking);
  const effort = body.reasoning_effort;
  if (effort === undefined || effort === null) return undefined;
  if (effort === 'none') return isLevelModel(model) ? { thinkingLevel: 'low' } : { thinkingBudget: 0 };
  if (typeof effort !== 'string' || !(effort in BUDGETS)) {
    throw badRequest('`reasoning_effort` must be "none", "minimal", "low", "medium" or "high".', 'reasoning_effort');
  }
  if (isLevelModel(model)) return { thinkingLevel: effort === 'medium' || effort === 'high' ? 'high' : 'low', includeThoughts: true };
  return { thinkingBudget: BUDGETS[effort], includeThoughts: true };
}

function fromAnthropicThinking(thinking: Record<string, unknown>): Record<string, unknown> {
  if (thinking.type === 'disabled') return { thinkingBudget: 0 };
  const budget = typeof thinking.budget_tokens === 'number' ? thinking.budget_tokens : undefined;
  return budget === undefined ? { includeThoughts: true } : { thinkingBudget: budget, includeThoughts: true };
}
