/**
 * Which Hugging Face API a deployment speaks, and where. LiteLLM's names: `huggingface/<model>` is the
 * OpenAI-compatible Messages API (TGI's `/v1/chat/completions` on an endpoint given as api_base, or the router
 * `https://router.huggingface.co/v1` serverless); `huggingface/text-generation-inference/<model>` — or any
 * deployment with a custom prompt template — is TGI's legacy `/generate` / `/generate_stream` with a flat prompt.
 */
import type { LitellmParams } from '../../core/config-types.ts';
import { readCustomTemplate } from '../prompt-templates/index.ts';
import type { Deployment } from '../types.ts';

export const HF_ROUTER_BASE = 'https://router.huggingface.co/v1';
const HF_INFERENCE_BASE = 'https://router.huggingface.co/hf-inference/models';
export const LEGACY_TGI_PREFIX = 'text-generation-inference/';

export type HfMode = 'messages' | 'generate';

export function modeOf(d: Pick<Deployment, 'upstreamModel' | 'params'>): HfMode {
  if (d.upstreamModel.startsWith(LEGACY_TGI_PREFIX)) return 'generate';
  return readCustomTemplate(d.params, 'litellm_params') ? 'generate' : 'messages';
}

/** The model's Hub id (`meta-llama/Llama-2-7b-chat-hf`), without the legacy route's prefix. */
export function hubModel(d: Pick<Deployment, 'upstreamModel'>): string {
  return d.upstreamModel.startsWith(LEGACY_TGI_PREFIX) ? d.upstreamModel.slice(LEGACY_TGI_PREFIX.length) : d.upstreamModel;
}

/** Whether the deployment calls the serverless router rather than an endpoint of its own. */
export const isRouter = (d: Pick<Deployment, 'apiBase'>) => d.apiBase === HF_ROUTER_BASE;

/** An endpoint URL given with its OpenAI root (`…/v1`) already appended keeps it. */
const openaiRoot = (base: string) => (/\/v1$/.test(base) ? base : `${base}/v1`);
/** An endpoint URL given as its OpenAI root (`…/v1`) is the server's root for TGI's own routes. */
const serverRoot = (base: string) => base.replace(/\/v1$/, '');

export const chatCompletionsUrl = (d: Pick<Deployment, 'apiBase'>) => `${openaiRoot(d.apiBase)}/chat/completions`;
export const generateUrl = (d: Pick<Deployment, 'apiBase'>, stream: boolean) => `${serverRoot(d.apiBase)}/${stream ? 'generate_stream' : 'generate'}`;

/** TEI's `/embed` on an endpoint; the hf-inference feature-extraction pipeline serverless. */
export function embedUrl(d: Pick<Deployment, 'apiBase' | 'upstreamModel'>): string {
  if (isRouter(d)) return `${HF_INFERENCE_BASE}/${hubModel(d)}/pipeline/feature-extraction`;
  return `${serverRoot(d.apiBase)}/embed`;
}

/** The legacy API exists only on a server of one's own: the router has no /generate. */
export function needsEndpoint(params: LitellmParams, upstreamModel: string): boolean {
  return upstreamModel.startsWith(LEGACY_TGI_PREFIX) || readCustomTemplate(params, 'litellm_params') !== undefined;
}
