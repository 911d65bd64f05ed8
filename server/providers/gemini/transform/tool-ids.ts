/**
 * Tool call ids. Gemini's functionCall usually carries no id (a function response is matched to its call by name
 * and position), while OpenAI clients answer a call by its id. Each call gets an id derived from the request and
 * its position, so the same answer always carries the same ids; the function's name is found again from the
 * assistant message that made the call when the client sends the result back.
 *
 * Gemini 2.5+ attaches a thoughtSignature to the part of a function call and wants it back with that part in the
 * next turn (Gemini 3 refuses the turn without it); OpenAI's messages have nowhere to keep it but the id, so it
 * travels inside the id after a separator and is taken out again on the way back.
 */
import { createHash } from 'node:crypto';

const SIGNATURE_SEPARATOR = '__thought__';

/** The id the client sees for one function call of an answer. */
export function toolCallId(seed: string, position: number, call: { id?: string | undefined; name: string }, signature?: string): string {
  const base =
    call.id !== undefined && call.id !== '' ? call.id : `call_${createHash('sha256').update(`${seed}\0${position}\0${call.name}`).digest('hex').slice(0, 24)}`;
  return signature ? `${base}${SIGNATURE_SEPARATOR}${signature}` : base;
}

/** What an id the client sends back carries: the call's own id and the thought signature, if any. */
export function parseToolCallId(id: string): { id: string; signature?: string } {
  const at = id.indexOf(SIGNATURE_SEPARATOR);
  if (at < 0) return { id };
  const signature = id.slice(at + SIGNATURE_SEPARATOR.length);
  return signature === '' ? { id: id.slice(0, at) } : { id: id.slice(0, at), signature };
}
