/**
 * Gateway-side adapters for the framed mocks (framed-server.ts), registered only by tests that mock the
 * provider registry — never in the production registry. Each is just enough of a provider to stream chat
 * through the gateway in its framing: `test-ndjson` (Ollama's native /api/chat) and `test-aws-eventstream`
 * (Bedrock ConverseStream, without SigV4). They take a real descriptor (`base`) for everything else a
 * deployment needs (connection, settings, accepted parameters).
 */
import { GatewayError } from '../../server/core/errors.ts';
import type {
  AwsEventStreamFrame,
  CallContext,
  EndpointAdapter,
  JsonValue,
  OpenAIChunk,
  ProviderAdapter,
  StreamFraming,
  StreamTranslator,
} from '../../server/providers/types.ts';
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

function converseTranslator(ctx: CallContext): StreamTranslator<AwsEventStreamFrame> {
  const chunks = new ChunkMaker(ctx);
  let stopped = false;
  return {
    push({ headers, payload }) {
      const event = JSON.parse(Buffer.from(payload).toString('utf8')) as {
        delta?: { text?: string };
        stopReason?: string;
        usage?: { inputTokens: number; outputTokens: number };
      };
      switch (headers[':event-type']) {
        case 'messageStart':
          return [chunks.delta({ role: 'assistant', content: '' })];
        case 'contentBlockDelta':
          return typeof event.delta?.text === 'string' ? [chunks.delta({ content: event.delta.text })] : [];
        case 'messageStop':
          stopped = true;
          return [chunks.delta({}, event.stopReason === 'max_tokens' ? 'length' : 'stop')];
        case 'metadata':
          return event.usage ? [chunks.usage(event.usage.inputTokens, event.usage.outputTokens)] : [];
        default:
          return [];
      }
    },
    end() {
      if (!stopped) throw endedEarly();
      return [];
    },
  };
}

const json = { 'content-type': 'application/json' };

const ollamaChat: EndpointAdapter = {
  buildRequest: (ctx) => ({
    url: `${ctx.deployment.apiBase}/api/chat`,
    method: 'POST',
    headers: json,
    body: JSON.stringify({ model: ctx.deployment.upstreamModel, messages: ctx.body.messages, stream: ctx.stream }),
  }),
  createStreamTranslator: ollamaTranslator,
};

const converseChat: EndpointAdapter = {
  buildRequest: (ctx) => {
    const messages = (ctx.body.messages as { role: string; content: string }[]).map((m) => ({ role: m.role, content: [{ text: m.content }] }));
    return {
      url: `${ctx.deployment.apiBase}/model/${encodeURIComponent(ctx.deployment.upstreamModel)}/converse-stream`,
      method: 'POST',
      headers: json,
      body: JSON.stringify({ messages }),
    };
  },
  createStreamTranslator: converseTranslator,
};

export const FRAMED_TEST_PROVIDER_IDS = { ndjson: 'test-ndjson', awsEventStream: 'test-aws-eventstream' } as const;

/** The test providers by id, each `base` with its own id, framing and chat adapter (and no health probe). */
export function framedTestProviders<P extends ProviderAdapter>(base: P): Map<string, P> {
  const make = (id: string, framing: StreamFraming, chat: EndpointAdapter): [string, P] => [
    id,
    { ...base, id, framing, endpoints: { chat }, healthProbe: undefined },
  ];
  return new Map([make(FRAMED_TEST_PROVIDER_IDS.ndjson, 'ndjson', ollamaChat), make(FRAMED_TEST_PROVIDER_IDS.awsEventStream, 'aws-eventstream', converseChat)]);
}
