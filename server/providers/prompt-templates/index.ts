/**
 * OpenAI chat messages → the one prompt string of a model that takes a flat prompt (TGI's /generate, Replicate's
 * `prompt`, SageMaker JumpStart payloads). The deployment's custom template (litellm_params `roles`,
 * `initial_prompt_value`, `final_prompt_value`, `bos_token`, `eos_token`) wins; otherwise the built-in format
 * its model name calls for.
 */
import type { LitellmParams } from '../../core/config-types.ts';
import { type BuiltInTemplate, builtInTemplateFor, renderBuiltInPrompt } from './built-in.ts';
import { readCustomTemplate, renderCustomPrompt } from './custom.ts';
import type { PromptMessage } from './messages.ts';

export { BUILT_IN_TEMPLATES, type BuiltInTemplate, builtInTemplateFor, renderBuiltInPrompt } from './built-in.ts';
export { type CustomPromptTemplate, PROMPT_TEMPLATE_SETTINGS, readCustomTemplate, renderCustomPrompt } from './custom.ts';
export { FLAT_PROMPT_UNSUPPORTED, flatPromptMessages, flatPromptParams } from './flat-prompt.ts';
export { messageText, type PromptMessage } from './messages.ts';

export interface RenderedPrompt {
  prompt: string;
  /** Which template made it: the deployment's own ('custom') or a built-in one. */
  template: BuiltInTemplate | 'custom';
}

/**
 * The prompt for `messages` on a deployment of `model` (the upstream model name) with `params` (its
 * litellm_params). A malformed custom template throws DeploymentError; call `readCustomTemplate` at load to
 * report it early.
 */
export function renderPrompt(messages: readonly PromptMessage[], model: string, params: LitellmParams): RenderedPrompt {
  const custom = readCustomTemplate(params, 'litellm_params');
  if (custom) return { prompt: renderCustomPrompt(custom, messages), template: 'custom' };
  const template = builtInTemplateFor(model);
  return { prompt: renderBuiltInPrompt(template, messages), template };
}
