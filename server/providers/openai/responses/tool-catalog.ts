/**
 * The tools a chat-served Responses request offers the model, and how their calls are named both ways.
 *
 * Tools come from the top-level `tools` and from `additional_tools` input items (Codex's "responses-lite" shape puts
 * all of them there). `namespace` tools are flattened into their members. Chat knows only function tools, so:
 * - a `function` tool is a chat function tool;
 * - a `custom` tool (free-form text input, optionally a grammar) is a chat function tool with one string
 *   parameter `input` (the grammar goes into its description), and its call comes back as a `custom_tool_call`
 *   whose `input` is that string;
 * - hosted tools (web_search, file_search, code_interpreter, image_generation, computer use, mcp, local_shell,
 *   shell, apply_patch, tool_search, …) run inside OpenAI's service: no chat model can call them, so they are
 *   left out. Codex always offers web_search; refusing the request would make every non-OpenAI model unusable.
 * A member keeps its plain name in the chat request unless two tools share it; then `namespace__name`.
 */
import { badRequest } from '../../../core/errors.ts';
import { type Item, isRecord } from './wire.ts';

export type ChatTool = Record<string, unknown>;

export interface CatalogTool {
  /** The name the chat request and the chat answer use. */
  chatName: string;
  kind: 'function' | 'custom';
  /** The tool's own name, as the client's calls carry it. */
  name: string;
  namespace?: string | undefined;
  chatTool: ChatTool;
}

interface Found {
  kind: 'function' | 'custom';
  tool: Record<string, unknown>;
  namespace?: string | undefined;
  at: string;
}

const CUSTOM_INPUT = { type: 'string', description: 'The raw input for the tool, as free-form text (not JSON-encoded).' };

export class ToolCatalog {
  private readonly byChat = new Map<string, CatalogTool>();
  private readonly byKey = new Map<string, CatalogTool>();

  /** From the request's `tools` and every `additional_tools` item in the conversation. */
  static from(tools: unknown, items: readonly Item[] = []): ToolCatalog {
    if (tools !== undefined && tools !== null && !Array.isArray(tools)) throw badRequest("Invalid type for 'tools': expected an array of tools.", 'tools');
    const found: Found[] = [];
    collect(Array.isArray(tools) ? tools : [], 'tools', undefined, found);
    for (const item of items) {
      if (item.type === 'additional_tools' && Array.isArray(item.tools)) collect(item.tools, 'input.additional_tools', undefined, found);
    }
    return new ToolCatalog(found);
  }

  private constructor(found: readonly Found[]) {
    const nameCount = new Map<string, number>();
    for (const { tool } of found) nameCount.set(String(tool.name), (nameCount.get(String(tool.name)) ?? 0) + 1);
    for (const { kind, tool, namespace } of found) {
      const name = String(tool.name);
      const key = keyOf(name, namespace);
      if (this.byKey.has(key)) continue;
      const chatName = (nameCount.get(name) ?? 0) > 1 && namespace ? `${namespace}__${name}` : name;
      const entry: CatalogTool = { chatName, kind, name, namespace, chatTool: chatToolOf(kind, chatName, tool) };
      this.byKey.set(key, entry);
      if (!this.byChat.has(chatName)) this.byChat.set(chatName, entry);
    }
  }

  chatTools(): ChatTool[] {
    return [...this.byChat.values()].map((entry) => entry.chatTool);
  }

  /** The tool a chat answer's call names; undefined for a name the request never offered. */
  byChatName(chatName: string): CatalogTool | undefined {
    return this.byChat.get(chatName);
  }

  /** The chat name of a call the client sent back (its name, and namespace if any). */
  chatNameOf(name: string, namespace?: unknown): string {
    return (this.byKey.get(keyOf(name, typeof namespace === 'string' ? namespace : undefined)) ?? this.firstNamed(name))?.chatName ?? name;
  }

  /** The first tool of a name (tool_choice names a tool without its namespace). */
  firstNamed(name: string, kind?: CatalogTool['kind']): CatalogTool | undefined {
    return [...this.byKey.values()].find((entry) => entry.name === name && (kind === undefined || entry.kind === kind));
  }
}

function keyOf(name: string, namespace: string | undefined): string {
  return `${namespace ?? ''}\u0000${name}`;
}

function collect(tools: readonly unknown[], base: string, namespace: string | undefined, into: Found[]): void {
  tools.forEach((tool: unknown, i) => {
    const at = `${base}[${i}]`;
    if (!isRecord(tool)) throw badRequest(`Invalid type for '${at}': expected an object.`, at);
    if (tool.type === 'namespace') {
      if (Array.isArray(tool.tools)) collect(tool.tools, `${at}.tools`, typeof tool.name === 'string' ? tool.name : namespace, into);
      return;
    }
    if (tool.type !== 'function' && tool.type !== 'custom') return; // hosted: see the module comment
    if (typeof tool.name !== 'string' || tool.name === '') throw badRequest(`Missing required parameter: '${at}.name'.`, `${at}.name`);
    into.push({ kind: tool.type, tool, namespace, at });
  });
}

function chatToolOf(kind: 'function' | 'custom', chatName: string, tool: Record<string, unknown>): ChatTool {
  const fn: Record<string, unknown> = { name: chatName };
  if (kind === 'function') {
    if (typeof tool.description === 'string') fn.description = tool.description;
    fn.parameters = isRecord(tool.parameters) ? tool.parameters : { type: 'object', properties: {} };
    if (typeof tool.strict === 'boolean') fn.strict = tool.strict;
  } else {
    const format = isRecord(tool.format) ? tool.format : {};
    const grammar =
      format.type === 'grammar' && typeof format.definition === 'string'
        ? `\n\nThe input must follow this ${String(format.syntax ?? '')} grammar:\n${format.definition}`
        : '';
    const description = `${typeof tool.description === 'string' ? tool.description : ''}${grammar}`;
    if (description !== '') fn.description = description;
    fn.parameters = { type: 'object', properties: { input: CUSTOM_INPUT }, required: ['input'], additionalProperties: false };
  }
  return { type: 'function', function: fn };
}

/** A custom tool's input from the chat call's arguments (`{"input": "…"}`); the arguments as they are when not that shape. */
export function customInputOf(args: string): string {
  try {
    const parsed: unknown = JSON.parse(args);
    if (isRecord(parsed) && typeof parsed.input === 'string') return parsed.input;
  } catch {
    // Not JSON: a model that wrote the raw input directly.
  }
  return args;
}
