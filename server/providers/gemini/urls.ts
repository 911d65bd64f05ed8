/**
 * Google AI Studio's URLs and credential: the key in `x-goog-api-key`, the model in the path under the API version
 * root (LiteLLM's api_base for Gemini is that root, `…/v1beta`). Reference: https://ai.google.dev/api
 */
import { authHeaders } from '../auth.ts';
import type { Deployment } from '../types.ts';

export const DEFAULT_API_BASE = 'https://generativelanguage.googleapis.com/v1beta';
export const GEMINI_AUTH = { kind: 'header', header: 'x-goog-api-key' } as const;

/** An api_base given as the bare host gets the version root Gemini's models live under. */
export function normaliseApiBase(base: string): string {
  return /\/v\d+(?:alpha|beta)?\d*$/.test(base) ? base : `${base}/v1beta`;
}

/** `gemini-2.5-flash` or `models/gemini-2.5-flash` → `models/gemini-2.5-flash`, the resource name the API uses. */
export function modelResource(deployment: Deployment): string {
  const model = deployment.upstreamModel;
  return model.startsWith('models/') || model.startsWith('tunedModels/') ? model : `models/${model}`;
}

export function modelUrl(deployment: Deployment, method?: string): string {
  return `${deployment.apiBase}/${modelResource(deployment)}${method ? `:${method}` : ''}`;
}

export function geminiHeaders(deployment: Deployment): Record<string, string> {
  const headers: Record<string, string> = { 'content-type': 'application/json', ...authHeaders(GEMINI_AUTH, deployment) };
  for (const [name, value] of Object.entries(deployment.headers ?? {})) headers[name.toLowerCase()] = value;
  return headers;
}
