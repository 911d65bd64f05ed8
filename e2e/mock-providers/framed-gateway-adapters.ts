/**
 * A gateway-side adapter for the framed mock's Ollama route (framed-server.ts), registered only by tests that mock
 * the provider registry — never in the production registry: `test-ndjson` (Ollama's native /api/chat), just
 * enough of a provider to stream chat through the gateway in NDJSON. It takes a real descriptor (`base`) for
 * everything else a deployment needs (connection, settings, accepted parameters). Bedrock's event-stream is the
 * real bedrock/ provider's.
 */
import { GatewayError } from '../../server/core/errors.ts';
import type { CallContext, EndpointAdapter, JsonValue, OpenAIChunk, ProviderAdapter, StreamTranslator } from '../../server/providers/types.ts';
import { isObject } from './text.ts';

/** Chunks of one completion, as OpenAI sends them. */
class ChunkMaker {
  private readonly header: Record<string, unknown>;
  constructor(ctx: CallContext) {
    this.header = {
      id: `chatcmpl-${ctx.requestId}`,
      object: 'chat.completion.chunk',
      created: Math.floor(Date.now() / 1000),
      model: ctx.deployment.upstreamModel,
    };
  }
  delta(delta: Record<string, unknown>, finishReason: string | null = null): OpenAIChunk {
    return { ...this.header, choices: [{ index: 0, delta, logprobs: null, finish_reason: finishReason }] };
  }
  usage(prompt: number, completion: number): OpenAIChunk {
    return { ...this.header, choices: [], usage: { prompt_tokens: prompt, completion_tokens: completion, total_tokens: prompt + completion } };
  }
}

const endedEarly = () => new GatewayError(502, 'The upstream stream ended before its last event.', { code: 'upstream_invalid_response' });

function ollamaTranslator(ctx: CallContext): StreamTranslator<JsonValue> {
  const chunks = new ChunkMaker(ctx);
  let started = false;
  let done = false;
  return {
    push(line) {
      if (!isObject(line)) return [];
      if (typeof line.error === 'string') throw new GatewayError(502, `Ollama: ${line.error}`);
      const out: OpenAIChunk[] = started ? [] : [chunks.delta({ role: 'assistant', content: '' })];
      started = true;
      const content = isObject(line.message) ? line.message.content : undefined;
      if (typeof content === 'string' && content !== '') out.push(chunks.delta({ content }));
      if (line.done === true) {
        done = true;
        out.push(chunks.delta({}, line.done_reason === 'length' ? 'length' : 'stop'), chunks.usage(Number(line.prompt_eval_count), Number(line.eval_count)));
      }
      return out;
    },
    end() {
      if (!done) throw endedEarly();
      return [];
    },
  };
}

const ollamaChat: EndpointAdapter = {
  buildRequest: (ctx) => ({
    url: `${ctx.deployment.apiBase}/api/chat`,
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ model: ctx.deployment.upstreamModel, messages: ctx.body.messages, stream: ctx.stream }),
  }),
  createStreamTranslator: ollamaTranslator,
};

export const FRAMED_TEST_PROVIDER_IDS = { ndjson: 'test-ndjson' } as const;

/** The test provider by id: `base` with its own id, NDJSON framing and chat adapter (and no health probe). */
export function framedTestProviders<P extends ProviderAdapter>(base: P): Map<string, P> {
  return new Map([
    [
      FRAMED_TEST_PROVIDER_IDS.ndjson,
      { ...base, id: FRAMED_TEST_PROVIDER_IDS.ndjson, framing: 'ndjson', endpoints: { chat: ollamaChat }, healthProbe: undefined },
    ],
  ]);
}
