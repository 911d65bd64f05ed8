/**
 * Seed 000's custom prompt templates, with LiteLLM's litellm_params names: `roles` gives each role a
 * `pre_message` and `post_message` around its text; `initial_prompt_value` opens the prompt and
 * `final_prompt_value` closes it; `bos_token` opens the prompt and every system or user turn that follows a
 * finished assistant turn, `eos_token` closes every assistant turn (LiteLLM's placement of the two tokens).
 */
import type { LitellmParams } from '../../core/config-types.ts';
import { DeploymentError } from '../deployment-error.ts';
import { type PromptMessage, type PromptRole, turnsOf } from './messages.ts';

/** The litellm_params of a custom template: read by the gateway, never sent upstream. */
export const PROMPT_TEMPLATE_SETTINGS = ['roles', 'initial_prompt_value', 'final_prompt_value', 'bos_token', 'eos_token'] as const;

export interface RoleAffixes {
  pre_message: string;
  post_message: string;
}

export interface CustomPromptTemplate {
  roles: Partial<Record<PromptRole, RoleAffixes>>;
  initialPromptValue: string;
  finalPromptValue: string;
  bosToken: string;
  eosToken: string;
}

const ROLE_NAMES: readonly PromptRole[] = ['system', 'user', 'assistant', 'tool'];

function stringSetting(params: LitellmParams, key: string, path: string): string {
  const value = params[key];
  if (value === undefined || value === null) return '';
  if (typeof value !== 'string') throw new DeploymentError(`${path}.${key}`, 'must be a string.');
  return value;
}

function readRoles(value: unknown, path: string): Partial<Record<PromptRole, RoleAffixes>> {
  if (value === undefined || value === null) return {};
  if (typeof value !== 'object' || Array.isArray(value)) {
    throw new DeploymentError(`${path}.roles`, 'must map roles (system, user, assistant, tool) to {pre_message, post_message}.');
  }
  const roles: Partial<Record<PromptRole, RoleAffixes>> = {};
  for (const [role, affixes] of Object.entries(value as Record<string, unknown>)) {
    const rolePath = `${path}.roles.${role}`;
    if (!ROLE_NAMES.includes(role as PromptRole)) throw new DeploymentError(rolePath, `is not a role; use ${ROLE_NAMES.join(', ')}.`);
    if (!affixes || typeof affixes !== 'object' || Array.isArray(affixes)) throw new DeploymentError(rolePath, 'must be {pre_message, post_message}.');
    const { pre_message = '', post_message = '' } = affixes as Record<string, unknown>;
    if (typeof pre_message !== 'string') throw new DeploymentError(`${rolePath}.pre_message`, 'must be a string.');
    if (typeof post_message !== 'string') throw new DeploymentError(`${rolePath}.post_message`, 'must be a string.');
    roles[role as PromptRole] = { pre_message, post_message };
  }
  return roles;
}

/**
 * The deployment's custom template, or undefined when litellm_params sets none of its keys. Throws
 * DeploymentError (at load) naming the key when one is malformed.
 */
export function readCustomTemplate(params: LitellmParams, path: string): CustomPromptTemplate | undefined {
  if (!PROMPT_TEMPLATE_SETTINGS.some((key) => params[key] !== undefined && params[key] !== null)) return undefined;
  return {
    roles: readRoles(params.roles, path),
    initialPromptValue: stringSetting(params, 'initial_prompt_value', path),
    finalPromptValue: stringSetting(params, 'final_prompt_value', path),
    bosToken: stringSetting(params, 'bos_token', path),
    eosToken: stringSetting(params, 'eos_token', path),
  };
}

export function renderCustomPrompt(template: CustomPromptTemplate, messages: readonly PromptMessage[]): string {
  let prompt = template.bosToken + template.initialPromptValue;
  let afterAssistant = false;
  for (const turn of turnsOf(messages)) {
    if (afterAssistant && (turn.role === 'system' || turn.role === 'user')) {
      prompt += template.bosToken;
      afterAssistant = false;
    }
    const affixes = template.roles[turn.role];
    prompt += (affixes?.pre_message ?? '') + turn.text + (affixes?.post_message ?? '');
    if (turn.role === 'assistant') {
      prompt += template.eosToken;
      afterAssistant = true;
    }
  }
  return prompt + template.finalPromptValue;
}
