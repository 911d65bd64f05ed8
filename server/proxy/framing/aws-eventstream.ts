/**
 * AWS event-stream (Bedrock ConverseStream / InvokeModelWithResponseStream): upstream bytes → binary
 * messages → `{ headers, payload }`, one batch per network read. @smithy/core/event-streams decodes each
 * message (prelude, both CRCs, headers); this module only finds where a message ends, from the total
 * length its first four bytes give, because the codec decodes whole messages only.
 * `exception` and `error` messages end the stream with an upstream error, after the messages before them.
 */
import { EventStreamCodec, type MessageHeaders } from '@smithy/core/event-streams';
import { fromUtf8, toUtf8 } from '@smithy/util-utf8';
import { GatewayError } from '../../core/errors.ts';
import { DEFAULT_RETRY_AFTER_S, mapAwsError } from '../../providers/aws/errors.ts';
import type { AwsEventStreamFrame, AwsHeaderValue } from '../../providers/types.ts';

export const AWS_EVENTSTREAM_CONTENT_TYPES: readonly string[] = ['application/vnd.amazon.eventstream'];

/** Prelude (total length, headers length, prelude CRC) and message CRC: 4 bytes each. */
const MIN_MESSAGE_BYTES = 16;
/** The protocol's limit; a larger length means the bytes are not an event stream (and must not be allocated). */
const MAX_MESSAGE_BYTES = 16 * 1024 * 1024;

/** decode() keeps no state between messages, so one codec serves every stream. */
const codec = new EventStreamCodec(toUtf8, fromUtf8);

export async function* awsEventStreamFrameBatches(body: AsyncIterable<Uint8Array>): AsyncGenerator<AwsEventStreamFrame[]> {
  const messages = new MessageSplitter();
  for await (const bytes of body) {
    const batch: AwsEventStreamFrame[] = [];
    let failure: Error | undefined;
    try {
      for (const message of messages.push(bytes)) batch.push(toFrame(message));
    } catch (err) {
      failure = err as Error;
    }
    if (batch.length) yield batch;
    if (failure) throw failure;
  }
  messages.end();
}

/** Collects bytes until whole messages are there; concatenates only when a message is complete. */
class MessageSplitter {
  private parts: Uint8Array[] = [];
  private buffered = 0;
  /** Bytes needed before anything can be cut: the length field, then the whole first message. */
  private needed = 4;

  *push(bytes: Uint8Array): Generator<Uint8Array> {
    this.parts.push(bytes);
    this.buffered += bytes.length;
    if (this.buffered < this.needed) return;
    const all = this.parts.length === 1 ? bytes : Buffer.concat(this.parts, this.buffered);
    const view = new DataView(all.buffer, all.byteOffset, all.byteLength);
    let offset = 0;
    for (;;) {
      this.needed = 4;
      if (all.length - offset < 4) break;
      const length = view.getUint32(offset, false);
      if (length < MIN_MESSAGE_BYTES || length > MAX_MESSAGE_BYTES) {
        throw new GatewayError(
          502,
          `The upstream's AWS event stream announced a message of ${length} bytes (${MIN_MESSAGE_BYTES} to ${MAX_MESSAGE_BYTES} allowed): not an event stream.`,
          {
            code: 'upstream_invalid_response',
          },
        );
      }
      this.needed = length;
      if (all.length - offset < length) break;
      // The message stays a view of `all`, which is never written again: decoded payloads may point into it.
      const message = all.subarray(offset, offset + length);
      offset += length;
      yield message;
    }
    const rest = offset === all.length ? undefined : all.subarray(offset);
    this.parts = rest ? [rest] : [];
    this.buffered = rest?.length ?? 0;
  }

  /** The stream ended: a message cut short is an error. */
  end(): void {
    if (this.buffered > 0) {
      throw new GatewayError(
        502,
        `The upstream's AWS event stream ended in the middle of a message (${this.buffered} of ${this.needed > 4 ? this.needed : 'at least 16'} bytes).`,
        {
          code: 'upstream_invalid_response',
        },
      );
    }
  }
}

function toFrame(message: Uint8Array): AwsEventStreamFrame {
  let decoded: { headers: MessageHeaders; body: Uint8Array };
  try {
    decoded = codec.decode(message);
  } catch (err) {
    throw new GatewayError(502, `The upstream sent an AWS event-stream message that does not decode: ${(err as Error).message}`, {
      code: 'upstream_invalid_response',
    });
  }
  const headers: Record<string, AwsHeaderValue> = {};
  for (const [name, header] of Object.entries(decoded.headers)) headers[name] = header.type === 'long' ? Number(header.value) : header.value;
  const messageType = headers[':message-type'];
  if (messageType === 'exception') {
    throw upstreamException(String(headers[':exception-type'] ?? 'UnknownException'), exceptionMessage(decoded.body));
  }
  if (messageType === 'error') {
    throw upstreamException(String(headers[':error-code'] ?? 'UnknownError'), String(headers[':error-message'] ?? ''));
  }
  return { headers, payload: decoded.body };
}

/** AWS exception names (Bedrock's `throttlingException`, …) and the status a client should see for each. */
const EXCEPTION_STATUS: Record<string, number> = {
  throttlingexception: 429,
  validationexception: 400,
  accessdeniedexception: 403,
  resourcenotfoundexception: 404,
  servicequotaexceededexception: 429,
  serviceunavailableexception: 503,
  modeltimeoutexception: 504,
};

/**
 * An exception the upstream sent in the stream, as the same error its HTTP answer would have been: a throttled or
 * unavailable service says when to come back (Retry-After), and a validationException about the content filter or
 * the context window is read by aws/errors.ts's rules, so content-policy and context-window fallbacks apply (the
 * stream's first event is read before the client is answered: proxy/primed-stream.ts).
 */
function upstreamException(type: string, message: string): GatewayError {
  const status = EXCEPTION_STATUS[type.toLowerCase()] ?? 502;
  const text = `The upstream stream failed with ${type}${message ? `: ${message}` : '.'}`;
  if (status === 429 || status === 503) return new GatewayError(status, text, { code: type, headers: { 'retry-after': DEFAULT_RETRY_AFTER_S } });
  if (status === 400 && message) {
    const read = mapAwsError('AWS', 400, JSON.stringify({ message }), {});
    if (read.code === 'content_policy_violation' || read.code === 'context_length_exceeded')
      return new GatewayError(400, text, { type: read.type, param: read.param, code: read.code });
  }
  return new GatewayError(status, text, { code: type });
}

/** An exception payload is JSON with a `message` (`Message` in some services); anything else is shown as text. */
function exceptionMessage(payload: Uint8Array): string {
  const text = toUtf8(payload);
  try {
    const parsed = JSON.parse(text) as { message?: unknown; Message?: unknown };
    const message = parsed.message ?? parsed.Message;
    if (typeof message === 'string') return message;
  } catch {
    // Not JSON: the raw text below.
  }
  return text.slice(0, 500);
}
