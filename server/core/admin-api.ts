/**
 * The admin API's wire types, one source for the server and the dashboard: the route handlers and the modules
 * that build their answers are typed by these, and renderer/src/api/types.ts imports them (`import type` only),
 * so a change to a shape fails tsc on both sides instead of breaking the dashboard silently.
 *
 * LiteLLM's endpoints (/key/*, /model/*, /spend/logs) keep LiteLLM's names and shapes; the gateway's own live
 * under /admin/. Every non-2xx answer is OpenAI's error envelope. GET /admin/providers: ./provider-info.ts.
 */
export type { OpenAIErrorBody as ErrorBody } from './errors.ts';
export type * from './admin-api/gateway.ts';
export type * from './admin-api/config-import.ts';
export type * from './admin-api/routing.ts';
export type * from './admin-api/models.ts';
export type * from './admin-api/keys.ts';
export type * from './admin-api/spend.ts';
export type * from './admin-api/logs.ts';
export type * from './admin-api/prices.ts';
