/**
 * OpenAI chat / embeddings → SageMaker Runtime InvokeEndpoint (`POST {runtime}/endpoints/{name}/invocations`) and
 * InvokeEndpointWithResponseStream (`…/invocations-response-stream`), for the containers LiteLLM's sagemaker/
 * models run: Hugging Face TGI (JumpStart LLMs), whose body is TGI's `{"inputs": prompt, "parameters": {...}}`
 * with the prompt from the deployment's template, and JumpStart text embeddings (`{"text_inputs": [...]}`).
 * https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_runtime_InvokeEndpoint.html
 */
import { GatewayError } from '../../core/errors.ts';
import { generateParameters, promptOf } from '../huggingface/generate-request.ts';
import type { CallContext, Deployment, UpstreamRequest } from '../types.ts';

export function endpointUrl(deployment: Deployment, stream: boolean): string {
  return `${deployment.apiBase}/endpoints/${encodeURIComponent(deployment.upstreamModel)}/${stream ? 'invocations-response-stream' : 'invocations'}`;
}

function headers(deployment: Deployment, stream: boolean): Record<string, string> {
  return {
    'content-type': 'application/json',
    // InvokeEndpointWithResponseStream's `Accept` is the container's content type; the frames are the event stream.
    accept: 'application/json',
    ...(stream ? { 'x-amzn-sagemaker-accept': 'application/json' } : {}),
    ...deployment.headers,
  };
}

export function buildInvocationRequest(ctx: CallContext): UpstreamRequest {
  return {
    url: endpointUrl(ctx.deployment, ctx.stream),
    method: 'POST',
    headers: headers(ctx.deployment, ctx.stream),
    body: JSON.stringify({ inputs: promptOf(ctx), parameters: generateParameters(ctx) }),
  };
}

function textInputs(input: unknown): string[] {
  if (typeof input === 'string') return [input];
  if (Array.isArray(input) && input.every((item) => typeof item === 'string')) return input;
  throw new GatewayError(400, 'SageMaker embeddings take `input` as a string or an array of strings.', { param: 'input' });
}

export function buildEmbeddingInvocation(ctx: CallContext): UpstreamRequest {
  return {
    url: endpointUrl(ctx.deployment, false),
    method: 'POST',
    headers: headers(ctx.deployment, false),
    body: JSON.stringify({ text_inputs: textInputs(ctx.body.input) }),
  };
}

/** OpenAI's base64 encoding (the openai SDKs ask for it by default): little-endian float32s. */
function float32Base64(vector: unknown): string {
  const values = Array.isArray(vector) ? vector.map(Number) : [];
  return Buffer.from(new Float32Array(values).buffer).toString('base64');
}

/**
 * `{"embedding": [[...], ...]}` → OpenAI's list. The container reports no token count: the answer carries no
 * usage, so the gateway estimates it (and marks the spend row estimated).
 */
export function translateEmbeddingInvocation(upstream: unknown, ctx: CallContext): Record<string, unknown> {
  const vectors = typeof upstream === 'object' && upstream !== null ? (upstream as { embedding?: unknown }).embedding : undefined;
  if (!Array.isArray(vectors)) {
    throw new GatewayError(502, 'The SageMaker endpoint answered without `embedding`.', { code: 'upstream_invalid_response' });
  }
  const base64 = ctx.body.encoding_format === 'base64';
  return {
    object: 'list',
    data: vectors.map((embedding, index) => ({ object: 'embedding', index, embedding: base64 ? float32Base64(embedding) : embedding })),
    model: ctx.deployment.upstreamModel,
  };
}
