/** The Responses stream's event and failure types, SSE framing, and the content parts its events carry. */
import { outputTextPart } from './response-from-chat.ts';
import type { Item } from './wire.ts';

/** One Responses stream event: its `type`, `sequence_number` and payload. */
export type ResponseEvent = Record<string, unknown> & { type: string; sequence_number: number };

/** A stream event as its SSE frame: the event name repeated as the payload's `type`. */
export function sseFrame(event: ResponseEvent): string {
  return `event: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`;
}

export interface StreamFailure {
  message: string;
  /** The gateway error's code (context_length_exceeded, …), sent in the `error` event. */
  code?: string | null;
  param?: string | null;
  /** HTTP status of the failure: 429 is rate_limit_exceeded in the Response's error, else server_error. */
  status?: number;
}

export type PartType = 'output_text' | 'refusal';

/** A message content part as its content_part events and the done item show it. */
export function contentPart(type: PartType, text: string): Item {
  return type === 'output_text' ? outputTextPart(text) : { type: 'refusal', refusal: text };
}
