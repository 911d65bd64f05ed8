/**
 * Loads the Vercel AI SDK (`ai`, `@ai-sdk/openai`) from e2e/clients/node_modules at run time, so the root
 * type-check passes on a clone without the clients installed. The types below are the few members the tests use,
 * written from the SDK's documentation (its own .d.ts files are not reachable from the root tsconfig there).
 */
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { CLIENTS_DIR } from './installed.ts';

export interface AiUsage {
  inputTokens: number | undefined;
  outputTokens: number | undefined;
}

export interface AiToolCall {
  toolName: string;
  input: unknown;
}

export interface AiStep {
  text: string;
  toolCalls: AiToolCall[];
  toolResults: { toolName: string; output: unknown }[];
}

/** An opaque language model object (what `openai(id)` / `openai.chat(id)` return). */
export type AiModel = { readonly provider: string; readonly modelId: string };

export interface AiCallOptions {
  model: AiModel;
  prompt: string;
  tools?: Record<string, unknown>;
  stopWhen?: unknown;
  maxRetries?: number;
}

export interface AiSdk {
  generateText(options: AiCallOptions): Promise<{ text: string; usage: AiUsage; finishReason: string; steps: AiStep[] }>;
  streamText(options: AiCallOptions): { textStream: AsyncIterable<string>; usage: PromiseLike<AiUsage>; finishReason: PromiseLike<string> };
  tool(definition: { description: string; inputSchema: unknown; execute: (input: never) => Promise<unknown> }): unknown;
  jsonSchema(schema: Record<string, unknown>): unknown;
  stepCountIs(count: number): unknown;
}

export interface OpenAIProvider {
  /** The default: the Responses API (POST {baseURL}/responses). */
  (modelId: string): AiModel;
  /** Chat Completions (POST {baseURL}/chat/completions). */
  chat(modelId: string): AiModel;
}

export interface AiSdkOpenAI {
  createOpenAI(options: { baseURL: string; apiKey: string }): OpenAIProvider;
}

const requireFromClients = createRequire(join(CLIENTS_DIR, 'package.json'));

async function load<T>(name: string): Promise<T> {
  return (await import(pathToFileURL(requireFromClients.resolve(name)).href)) as T;
}

export async function loadAiSdk(): Promise<{ ai: AiSdk; openai: AiSdkOpenAI }> {
  return { ai: await load<AiSdk>('ai'), openai: await load<AiSdkOpenAI>('@ai-sdk/openai') };
}
