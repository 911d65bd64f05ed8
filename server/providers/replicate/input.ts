/**
 * OpenAI chat request → a Replicate prediction's `input` for language models that take a flat prompt
 * (`{prompt, system_prompt, max_new_tokens, temperature, top_p, top_k, stop_sequences, seed, …}`), and where to
 * create it: `POST {api_base}/models/{owner}/{name}/predictions` for an official model, `POST
 * {api_base}/predictions` with `{"version": id}` for `owner/name:version` (https://replicate.com/docs/reference/http).
 *
 * The prompt: with a custom template in litellm_params, the whole conversation rendered by it; otherwise system
 * messages go to `system_prompt` (the model's own template places it), a lone request is its text, and a
 * conversation is rendered in the built-in format of the model name (prompt-templates/).
 */
import {
  type PromptMessage,
  builtInTemplateFor,
  flatPromptMessages,
  flatPromptParams,
  messageText,
  readCustomTemplate,
  renderBuiltInPrompt,
  renderCustomPrompt,
} from '../prompt-templates/index.ts';
import type { CallContext, Deployment } from '../types.ts';

export const PROVIDER_LABEL = 'Replicate';

export interface PredictionTarget {
  url: string;
  /** Set for `owner/name:version`: the version id goes in the body. */
  version?: string;
}

export function predictionTarget(d: Pick<Deployment, 'apiBase' | 'upstreamModel'>): PredictionTarget {
  const colon = d.upstreamModel.indexOf(':');
  if (colon >= 0) return { url: `${d.apiBase}/predictions`, version: d.upstreamModel.slice(colon + 1) };
  // A bare 64-hex version id (LiteLLM accepts `replicate/<version>`).
  if (/^[0-9a-f]{64}$/.test(d.upstreamModel)) return { url: `${d.apiBase}/predictions`, version: d.upstreamModel };
  const [owner, ...name] = d.upstreamModel.split('/');
  return { url: `${d.apiBase}/models/${encodeURIComponent(owner ?? '')}/${name.map(encodeURIComponent).join('/')}/predictions` };
}

/** The model's name without its version, for choosing a built-in template. */
const modelName = (upstreamModel: string) => upstreamModel.split(':')[0] ?? upstreamModel;

export function promptInputs(messages: readonly PromptMessage[], d: Pick<Deployment, 'upstreamModel' | 'params'>): Record<string, string> {
  const custom = readCustomTemplate(d.params, 'litellm_params');
  if (custom) return { prompt: renderCustomPrompt(custom, messages) };
  const system = messages.filter((m) => m.role === 'system' || m.role === 'developer');
  const rest = messages.filter((m) => m.role !== 'system' && m.role !== 'developer');
  const lone = rest.length === 1 && rest[0]?.role === 'user';
  const prompt = lone && rest[0] ? messageText(rest[0]) : renderBuiltInPrompt(builtInTemplateFor(modelName(d.upstreamModel)), rest);
  const systemPrompt = system.map(messageText).join('\n\n');
  return systemPrompt === '' ? { prompt } : { prompt, system_prompt: systemPrompt };
}

export function predictionInput(ctx: CallContext): Record<string, unknown> {
  const input: Record<string, unknown> = { ...promptInputs(flatPromptMessages(ctx.body, PROVIDER_LABEL, ctx.deployment), ctx.deployment) };
  for (const [key, value] of flatPromptParams(ctx, PROVIDER_LABEL)) {
    if (key === 'max_tokens' || key === 'max_completion_tokens') input.max_new_tokens = value;
    else if (key === 'stop') input.stop_sequences = Array.isArray(value) ? value.join(',') : value;
    else input[key] = value;
  }
  return input;
}

/** The body that creates the prediction; streams ask for a stream URL. */
export function predictionBody(ctx: CallContext): Record<string, unknown> {
  const target = predictionTarget(ctx.deployment);
  return { ...(target.version ? { version: target.version } : {}), input: predictionInput(ctx), ...(ctx.stream ? { stream: true } : {}) };
}
