/**
 * The slice of the OpenAI Responses API wire format the chat translation reads and writes. Items stay plain
 * objects: the API adds item and part types often, and a stored item must round-trip whatever it carried.
 */
import { randomBytes } from 'node:crypto';

/** One conversation item (message, function_call, function_call_output, reasoning, item_reference, …). */
export type Item = Record<string, unknown>;

/** A Responses API `Response` object. */
export type ResponseObject = Record<string, unknown>;

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** An id the way OpenAI writes them: a type prefix (`resp`, `msg`, `fc`, `rs`, …), `_`, 48 hex digits. */
export function newId(prefix: string): string {
  return `${prefix}_${randomBytes(24).toString('hex')}`;
}

/** `input[3].content[0]` — a parameter path the way OpenAI names it in an error. */
export function paramPath(base: string, ...steps: (string | number)[]): string {
  return steps.reduce<string>((acc, step) => (typeof step === 'number' ? `${acc}[${step}]` : `${acc}.${step}`), base);
}

/** The end of a 400's message for what only OpenAI's own Responses service can do. */
export const HOSTED_ONLY = 'only available on OpenAI deployments (openai/ and azure/ models); this model is served through chat completions';
