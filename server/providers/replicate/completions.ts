/**
 * Legacy /completions on Replicate: the gateway's completions-via-chat bridge wraps request adapters, but
 * Replicate answers through `local`, so its pieces are applied here — the prompt is one user message (sent as
 * the flat prompt as it is, or through a custom template), and chat answers become text_completion objects.
 */
import { completionChunkFromChat, completionFromChat } from '../completions-via-chat.ts';
import type { LocalResult, OpenAIChunk } from '../types.ts';

async function* completionChunks(chunks: AsyncIterable<OpenAIChunk>): AsyncGenerator<OpenAIChunk> {
  for await (const chunk of chunks) yield completionChunkFromChat(chunk);
}

export function asCompletion(result: LocalResult): LocalResult {
  if (result.kind === 'stream') return { kind: 'stream', chunks: completionChunks(result.chunks) };
  return { kind: 'json', body: completionFromChat(result.body) };
}
