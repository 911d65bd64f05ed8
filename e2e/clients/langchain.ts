/**
 * Loads LangChain's OpenAI chat model (`@langchain/openai`) from e2e/clients/node_modules at run time, so the root
 * type-check passes on a clone without the clients installed. The types are the few members the tests use,
 * written from LangChain's documentation.
 */
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { CLIENTS_DIR } from './installed.ts';

export interface LangChainUsage {
  input_tokens: number;
  output_tokens: number;
}

export interface LangChainMessage {
  /** The text of the content, whether it is a string or content blocks. */
  readonly text: string;
  usage_metadata?: LangChainUsage;
  tool_calls?: { name: string; args: Record<string, unknown> }[];
}

export interface LangChainChatModel {
  invoke(input: string): Promise<LangChainMessage>;
  stream(input: string): Promise<AsyncIterable<LangChainMessage>>;
  bindTools(tools: Record<string, unknown>[]): { invoke(input: string): Promise<LangChainMessage> };
}

export interface LangChainOpenAI {
  ChatOpenAI: new (fields: {
    model: string;
    apiKey: string;
    configuration: { baseURL: string };
    useResponsesApi?: boolean;
    maxRetries?: number;
  }) => LangChainChatModel;
}

export async function loadLangChainOpenAI(): Promise<LangChainOpenAI> {
  const resolved = createRequire(join(CLIENTS_DIR, 'package.json')).resolve('@langchain/openai');
  return (await import(pathToFileURL(resolved).href)) as LangChainOpenAI;
}
