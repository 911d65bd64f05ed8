/**
 * The Responses API's stream framing on the way out: typed events (`event: <type>` + `data: {…, sequence_number}`),
 * no end marker (response.completed ends a stream), and a failure after the first byte told in-band as an `error`
 * event followed by `response.failed` carrying the response so far with status failed.
 */
import { GatewayError } from '../../core/errors.ts';
import { writeEvents } from '../../proxy/event-writer.ts';
import type { StreamWriter } from '../surface.ts';

type Json = Record<string, unknown>;

/** What a stream has told the client so far: what a failure told in-band continues from. */
export class ResponseStreamState {
  /** The last sequence_number sent (-1: none). */
  last = -1;
  /** The latest Response object sent (response.created / in_progress). */
  snapshot: Json | undefined;
  /** The Response of response.completed / response.incomplete, once sent. */
  final: Json | undefined;

  seen(sequence: number | undefined): void {
    if (sequence !== undefined && sequence > this.last) this.last = sequence;
  }

  next(): number {
    this.last += 1;
    return this.last;
  }
}

export function eventFrame(type: string, fields: Json): string {
  return `event: ${type}\ndata: ${JSON.stringify({ type, ...fields })}\n\n`;
}

/** The Response's error code (an enum of the API's) for a gateway failure. */
function responseErrorCode(error: Error): string {
  return error instanceof GatewayError && error.status === 429 ? 'rate_limit_exceeded' : 'server_error';
}

/** `error`, then `response.failed` when the client already has a response to fail. */
export function failureFrames(error: Error, state: ResponseStreamState): string {
  const gateway = error instanceof GatewayError ? error : undefined;
  let out = eventFrame('error', {
    code: gateway?.code ?? gateway?.type ?? 'server_error',
    message: error.message,
    param: gateway?.param ?? null,
    sequence_number: state.next(),
  });
  if (state.snapshot) {
    const response = { ...state.snapshot, status: 'failed', completed_at: null, error: { code: responseErrorCode(error), message: error.message } };
    out += eventFrame('response.failed', { response, sequence_number: state.next() });
  }
  return out;
}

/** The writer of a Responses stream; `failure` renders an in-band failure (the attempt that streams decides how). */
export function responsesStreamWriter(failure: () => (error: Error) => string): StreamWriter<string> {
  return (res, frames, toError, beforeEnd) => writeEvents(res, frames, { toError, errorFrame: (error) => failure()(error), beforeEnd });
}
