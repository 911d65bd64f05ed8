import { describe, expect, it } from 'vitest';
import { emptyConfig, type LitellmParams } from '../core/config-types.ts';
import { parseConfig } from '../config/index.ts';
import { loadPriceTable } from '../prices/price-table.ts';
import { buildDeployment } from '../router/deployments.ts';
import { GatewayError } from '../core/errors.ts';
import type { CallContext, Deployment, EndpointAdapter } from '../providers/types.ts';
import { foldFunctionsIntoPrompt, functionsPromptText, withFunctionsInPromptWhenRefused } from './functions-in-prompt.ts';

const fn = { name: 'f', parameters: { type: 'object' } };
const tools = [{ type: 'function', function: fn }];

describe('foldFunctionsIntoPrompt', () => {
  it('appends to the first system message and leaves every tool field out', () => {
    const body = {
      model: 'm',
      messages: [
        { role: 'system', content: 'Be brief.' },
        { role: 'user', content: 'hi' },
      ],
      tools,
      tool_choice: 'auto',
      parallel_tool_calls: true,
      temperature: 0.1,
    };
    expect(foldFunctionsIntoPrompt(body)).toEqual({
      model: 'm',
      messages: [
        { role: 'system', content: `Be brief.\n\n${functionsPromptText(body)}` },
        { role: 'user', content: 'hi' },
      ],
      temperature: 0.1,
    });
    // The client's body is not changed.
    expect(body.tools).toBe(tools);
  });

  it('adds a system message first when there is none; a part list gets a text part', () => {
    const folded = foldFunctionsIntoPrompt({ messages: [{ role: 'user', content: 'hi' }], functions: [fn], function_call: { name: 'f' } });
    expect(folded.messages).toEqual([
      { role: 'system', content: expect.stringContaining('You must call the function `f`.\nFunctions:\n{"name":"f"') },
      { role: 'user', content: 'hi' },
    ]);
    expect(folded).not.toHaveProperty('functions');
    expect(folded).not.toHaveProperty('function_call');
    const parts = foldFunctionsIntoPrompt({ messages: [{ role: 'developer', content: [{ type: 'text', text: 'Rules.' }] }], tools });
    expect((parts.messages as { content: unknown[] }[])[0]?.content).toEqual([
      { type: 'text', text: 'Rules.' },
      { type: 'text', text: expect.stringMatching(/^\n\nYou can call/) },
    ]);
  });
});

describe('add_function_to_prompt setting', () => {
  const prices = loadPriceTable();
  const deploy = (params: LitellmParams, settings: Record<string, unknown> = {}) => {
    const warnings: string[] = [];
    const config = { ...emptyConfig(), litellm_settings: settings };
    const d = buildDeployment({ model_name: 'x', litellm_params: params }, 0, config, {}, prices, (w) => warnings.push(w));
    return { on: d.addFunctionToPrompt, defaults: d.defaults, warnings };
  };

  it('comes from litellm_settings or the deployment, is never sent upstream nor warned about', () => {
    expect(deploy({ model: 'openai/gpt-4o' })).toEqual({ on: false, defaults: {}, warnings: [] });
    expect(deploy({ model: 'openai/gpt-4o' }, { add_function_to_prompt: true })).toEqual({ on: true, defaults: {}, warnings: [] });
    expect(deploy({ model: 'openai/gpt-4o', add_function_to_prompt: true })).toEqual({ on: true, defaults: {}, warnings: [] });
    expect(deploy({ model: 'openai/gpt-4o', add_function_to_prompt: false }, { add_function_to_prompt: true }).on).toBe(false);
  });

  it('litellm_settings.add_function_to_prompt is a known boolean setting', () => {
    const loaded = parseConfig('model_list: []\nlitellm_settings:\n  add_function_to_prompt: true\n', 'config.yaml');
    expect(loaded.warnings).toEqual([]);
    expect(loaded.resolved.litellm_settings.add_function_to_prompt).toBe(true);
  });
});

describe('withFunctionsInPromptWhenRefused', () => {
  const deployment = { addFunctionToPrompt: true, dropParams: true } as Deployment;
  const refusing = (param: string | null): EndpointAdapter => ({
    buildRequest: (ctx) => {
      if (param && param in ctx.body) throw new GatewayError(400, `no ${param}`, { param });
      return { url: 'http://x', method: 'POST', headers: {} };
    },
  });
  const ctx = (body: Record<string, unknown>): CallContext => ({ endpoint: 'chat', body, deployment, stream: false, requestId: 'r' });
  const body = { messages: [{ role: 'user', content: 'hi' }], tools, tool_choice: 'required' };

  it('folds when the adapter refuses the definitions, even with drop_params on', () => {
    expect(withFunctionsInPromptWhenRefused(refusing('tools'), ctx(body)).body).not.toHaveProperty('tools');
  });

  it('keeps the tools when the adapter takes them, or refuses only the tool_choice (its own 400 follows)', () => {
    expect(withFunctionsInPromptWhenRefused(refusing(null), ctx(body)).body).toBe(body);
    expect(withFunctionsInPromptWhenRefused(refusing('tool_choice'), ctx(body)).body).toBe(body);
  });

  it('does nothing unless the deployment asks for it', () => {
    const off = { ...ctx(body), deployment: { ...deployment, addFunctionToPrompt: false } };
    expect(withFunctionsInPromptWhenRefused(refusing('tools'), off).body).toBe(body);
  });
});
