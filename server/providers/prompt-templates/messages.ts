/**
 * The text of OpenAI chat messages as a flat-prompt model sees it. Images and audio have no place in one prompt
 * string and are left out; an assistant turn that only called tools is written as the JSON of its calls, so the
 * model sees what it asked for before the tool results that follow.
 */

/** The fields of an OpenAI chat message a prompt template reads. */
export interface PromptMessage {
  role: string;
  content?: unknown;
  tool_calls?: unknown;
}

/** The roles a template knows: `developer` is a system message, `function` (OpenAI's older name) a tool message. */
export type PromptRole = 'system' | 'user' | 'assistant' | 'tool';

export function promptRole(role: string): PromptRole {
  if (role === 'system' || role === 'developer') return 'system';
  if (role === 'assistant') return 'assistant';
  if (role === 'tool' || role === 'function') return 'tool';
  return 'user';
}

function contentText(content: unknown): string {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  return content
    .map((part) => (part && typeof part === 'object' && typeof (part as { text?: unknown }).text === 'string' ? (part as { text: string }).text : ''))
    .join('');
}

interface ToolCallLike {
  function?: { name?: unknown; arguments?: unknown };
}

function toolCallsText(toolCalls: unknown): string {
  if (!Array.isArray(toolCalls) || toolCalls.length === 0) return '';
  const calls = (toolCalls as ToolCallLike[]).map((call) => {
    const args = call.function?.arguments;
    let parsed: unknown = args;
    if (typeof args === 'string') {
      try {
        parsed = JSON.parse(args);
      } catch {
        parsed = args;
      }
    }
    return { name: call.function?.name, arguments: parsed };
  });
  return JSON.stringify(calls);
}

/** The text of one message: its text parts joined, or for an assistant's tool calls without text, the calls as JSON. */
export function messageText(message: PromptMessage): string {
  const text = contentText(message.content);
  if (text !== '' || message.role !== 'assistant') return text;
  return toolCallsText(message.tool_calls);
}

export interface Turn {
  role: PromptRole;
  text: string;
}

export function turnsOf(messages: readonly PromptMessage[]): Turn[] {
  return messages.map((m) => ({ role: promptRole(m.role), text: messageText(m) }));
}
