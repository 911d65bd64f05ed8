/**
 * SageMaker Runtime InvokeEndpoint (POST /endpoints/{name}/invocations) and InvokeEndpointWithResponseStream
 * (…/invocations-response-stream) in front of the containers LiteLLM's sagemaker/ models use:
 * - Hugging Face TGI (JumpStart LLMs): `{"inputs": prompt, "parameters": {...}}` → `[{"generated_text", "details"}]`
 *   (`details: true` adds finish_reason and generated_tokens; `decoder_input_details: true` the prompt's tokens as
 *   `prefill`); streamed, TGI's server-sent events (`data:{"token":{…},"generated_text",…}`) carried in
 *   `PayloadPart` event-stream messages whose payload is the raw bytes, cut at arbitrary places.
 * - TGI's Messages API (LiteLLM's sagemaker_chat/): an OpenAI chat body → OpenAI's answer; streamed, OpenAI's
 *   SSE chunks in PayloadParts.
 * - JumpStart text embeddings: `{"text_inputs": [...]}` → `{"embedding": [[...]]}` (endpoint names with `embed`).
 * Errors are AWS's (`ValidationException`, `ModelError` 424 with the container's status and message).
 * https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_runtime_InvokeEndpoint.html
 * https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_runtime_InvokeEndpointWithResponseStream.html
 * https://huggingface.github.io/text-generation-inference/ (POST /generate, /generate_stream)
 *
 * The "model" answers `echo: <the whole prompt>`; tokens are words.
 */
import { EventStreamCodec } from '@smithy/core/event-streams';
import { fromUtf8, toUtf8 } from '@smithy/util-utf8';
import { openaiChatReply } from './openai-chat.ts';
import { mockEmbedding } from './openai-embeddings.ts';
import type { JsonObject } from './text.ts';
import { countTokens, echoAnswer, isObject, splitIntoPieces, truncateToTokens } from './text.ts';

const codec = new EventStreamCodec(toUtf8, fromUtf8);

/** TGI's words for a prompt beyond the model's window. */
export const TGI_CONTEXT_OVERFLOW =
  'Input validation error: `inputs` tokens + `max_new_tokens` must be <= 4096. Given: 4000 `inputs` tokens and 200 `max_new_tokens`';

export type SagemakerReply =
  | { kind: 'json'; body: unknown }
  | { kind: 'stream'; messages: Uint8Array[] }
  | { kind: 'error'; status: number; type: string; message: string; body?: JsonObject };

function payloadPart(bytes: Uint8Array): Uint8Array {
  return codec.encode({
    headers: {
      ':message-type': { type: 'string', value: 'event' },
      ':event-type': { type: 'string', value: 'PayloadPart' },
      ':content-type': { type: 'string', value: 'application/octet-stream' },
    },
    body: bytes,
  });
}

/** The TGI answer to a prompt, and its counts. */
export function tgiAnswer(prompt: string, parameters: JsonObject): { text: string; finishReason: 'length' | 'eos_token'; generated: number; prefill: number } {
  const { text, truncated } = truncateToTokens(echoAnswer(prompt), parameters.max_new_tokens);
  return { text, finishReason: truncated ? 'length' : 'eos_token', generated: countTokens(text), prefill: Math.max(1, countTokens(prompt)) };
}

/** A container's stream as PayloadParts of 7 bytes each: SageMaker cuts the bytes wherever they fall. */
function payloadParts(text: string): Uint8Array[] {
  const bytes = Buffer.from(text);
  const parts: Uint8Array[] = [];
  for (let start = 0; start < bytes.length; start += 7) parts.push(payloadPart(bytes.subarray(start, start + 7)));
  return parts;
}

/**
 * TGI's Messages API behind the endpoint (LiteLLM's sagemaker_chat/): an OpenAI chat body in, OpenAI's answer or
 * SSE chunks out, as the OpenAI mock makes them.
 */
function messagesApiReply(endpoint: string, body: JsonObject, stream: boolean): SagemakerReply {
  const reply = openaiChatReply({ ...body, stream }, typeof body.model === 'string' ? body.model : endpoint);
  if (reply.kind === 'json') return reply.status === 200 ? { kind: 'json', body: reply.body } : modelError(reply.status, JSON.stringify(reply.body), endpoint);
  return { kind: 'stream', messages: payloadParts(reply.frames.join('')) };
}

/** TGI's generate_stream events for the answer, as one byte string cut into PayloadParts of 7 bytes. */
function tgiStream(prompt: string, parameters: JsonObject): Uint8Array[] {
  const answer = tgiAnswer(prompt, parameters);
  const pieces = splitIntoPieces(answer.text);
  const events = pieces.map((text, i) => {
    const last = i === pieces.length - 1;
    return `data:${JSON.stringify({
      index: i + 1,
      token: { id: 1000 + i, text, logprob: -0.1, special: false },
      generated_text: last ? answer.text : null,
      details: last ? { finish_reason: answer.finishReason, generated_tokens: answer.generated, seed: null } : null,
    })}\n\n`;
  });
  return payloadParts(events.join(''));
}

/** The container answered an error: SageMaker's 424 ModelError, with the container's status and message. */
export function modelError(status: number, message: string, endpoint: string): SagemakerReply {
  const logStream = `arn:aws:logs:us-west-2:123456789012:log-group:/aws/sagemaker/Endpoints/${endpoint}`;
  const text = `Received ${status < 500 ? 'client' : 'server'} error (${status}) from primary with message "${message}". See https://us-west-2.console.aws.amazon.com/cloudwatch/home?region=us-west-2#logEventViewer:group=/aws/sagemaker/Endpoints/${endpoint} in account 123456789012 for more information.`;
  return {
    kind: 'error',
    status: 424,
    type: 'ModelError',
    message: text,
    body: {
      ErrorCode: status < 500 ? 'CLIENT_ERROR_FROM_MODEL' : 'SERVER_ERROR_FROM_MODEL',
      LogStreamArn: logStream,
      Message: text,
      OriginalMessage: message,
      OriginalStatusCode: status,
    },
  };
}

export function sagemakerReply(endpoint: string, body: JsonObject, stream: boolean): SagemakerReply {
  if (/embed/i.test(endpoint)) {
    if (stream) return { kind: 'error', status: 400, type: 'ValidationException', message: 'This endpoint does not stream.' };
    if (!Array.isArray(body.text_inputs)) return modelError(400, "'text_inputs' is a required property", endpoint);
    return { kind: 'json', body: { embedding: body.text_inputs.map((text) => mockEmbedding(String(text))) } };
  }
  if (Array.isArray(body.messages)) return messagesApiReply(endpoint, body, stream);
  if (typeof body.inputs !== 'string') return modelError(422, 'Failed to deserialize the JSON body into the target type: missing field `inputs`', endpoint);
  const parameters = isObject(body.parameters) ? body.parameters : {};
  if (stream) return { kind: 'stream', messages: tgiStream(body.inputs, parameters) };
  const answer = tgiAnswer(body.inputs, parameters);
  const details =
    parameters.details === true
      ? {
          details: {
            finish_reason: answer.finishReason,
            generated_tokens: answer.generated,
            seed: null,
            ...(parameters.decoder_input_details === true
              ? { prefill: Array.from({ length: answer.prefill }, (_, id) => ({ id, text: 'w', logprob: null })) }
              : {}),
          },
        }
      : {};
  return { kind: 'json', body: [{ generated_text: answer.text, ...details }] };
}
