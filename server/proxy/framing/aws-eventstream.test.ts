import { EventStreamCodec, Int64, type MessageHeaders } from '@smithy/core/event-streams';
import { fromUtf8, toUtf8 } from '@smithy/util-utf8';
import { describe, expect, it } from 'vitest';
import { GatewayError } from '../../core/errors.ts';
import { awsEventStreamFrameBatches } from './aws-eventstream.ts';
import { collectBatches, cutAt, everyCut, readAll, utf8 } from './test-chunks.ts';

const codec = new EventStreamCodec(toUtf8, fromUtf8);

const concat = (messages: Uint8Array[]) => new Uint8Array(Buffer.concat(messages));

function event(eventType: string, payload: unknown, extra: MessageHeaders = {}): Uint8Array {
  return codec.encode({
    headers: {
      ':message-type': { type: 'string', value: 'event' },
      ':event-type': { type: 'string', value: eventType },
      ':content-type': { type: 'string', value: 'application/json' },
      ...extra,
    },
    body: fromUtf8(JSON.stringify(payload)),
  });
}

function exception(exceptionType: string, message: string): Uint8Array {
  return codec.encode({
    headers: {
      ':message-type': { type: 'string', value: 'exception' },
      ':exception-type': { type: 'string', value: exceptionType },
      ':content-type': { type: 'string', value: 'application/json' },
    },
    body: fromUtf8(JSON.stringify({ message })),
  });
}

const decodedPayloads = (frames: { payload: Uint8Array }[]) => frames.map((frame) => JSON.parse(toUtf8(frame.payload)) as unknown);

// Bedrock ConverseStream-style events; a text with two-, three- and four-byte characters; every header type.
const START = event('messageStart', { role: 'assistant' });
const DELTA = event(
  'contentBlockDelta',
  { contentBlockIndex: 0, delta: { text: 'Hél ✓🦊' } },
  {
    flag: { type: 'boolean', value: true },
    count: { type: 'integer', value: 42 },
    big: { type: 'long', value: Int64.fromNumber(2 ** 40) },
    when: { type: 'timestamp', value: new Date('2026-01-02T03:04:05Z') },
    raw: { type: 'binary', value: new Uint8Array([1, 2, 3]) },
  },
);
const STOP = event('messageStop', { stopReason: 'end_turn' });
const STREAM = concat([START, DELTA, STOP]);

describe('awsEventStreamFrameBatches', () => {
  it.each(everyCut(STREAM))('decodes the same messages whatever the reads (inside preludes and CRCs too): $name', async ({ cuts }) => {
    const { frames, error } = await readAll(awsEventStreamFrameBatches(cutAt(STREAM, cuts)));
    expect(error).toBeUndefined();
    expect(frames.map((frame) => frame.headers[':event-type'])).toEqual(['messageStart', 'contentBlockDelta', 'messageStop']);
    expect(decodedPayloads(frames)).toEqual([{ role: 'assistant' }, { contentBlockIndex: 0, delta: { text: 'Hél ✓🦊' } }, { stopReason: 'end_turn' }]);
  });

  it('gives every header as a plain value', async () => {
    const { frames } = await readAll(awsEventStreamFrameBatches(cutAt(DELTA, [])));
    expect(frames[0]!.headers).toEqual({
      ':message-type': 'event',
      ':event-type': 'contentBlockDelta',
      ':content-type': 'application/json',
      flag: true,
      count: 42,
      big: 2 ** 40,
      when: new Date('2026-01-02T03:04:05Z'),
      raw: new Uint8Array([1, 2, 3]),
    });
  });

  it('yields the messages of one read as one batch', async () => {
    const batches = await collectBatches(awsEventStreamFrameBatches(cutAt(STREAM, [START.length + 3])));
    expect(batches.map((batch) => batch.map((frame) => frame.headers[':event-type']))).toEqual([['messageStart'], ['contentBlockDelta', 'messageStop']]);
  });

  it('turns an exception message into an upstream error with its type and message, after the messages before it', async () => {
    const body = concat([START, exception('throttlingException', 'Too many tokens, please wait before trying again.'), STOP]);
    const { frames, error } = await readAll(awsEventStreamFrameBatches(cutAt(body, [])));
    expect(frames.map((frame) => frame.headers[':event-type'])).toEqual(['messageStart']);
    expect(error).toBeInstanceOf(GatewayError);
    expect(error).toMatchObject({
      status: 429,
      type: 'rate_limit_error',
      code: 'throttlingException',
      message: 'The upstream stream failed with throttlingException: Too many tokens, please wait before trying again.',
    });
  });

  it('tells a client when to come back after a throttling or unavailability exception, as the HTTP answer would', async () => {
    for (const [type, status] of [
      ['throttlingException', 429],
      ['serviceUnavailableException', 503],
    ] as const) {
      const { error } = await readAll(awsEventStreamFrameBatches(cutAt(exception(type, 'Slow down.'), [])));
      expect(error).toMatchObject({ status, code: type });
      expect((error as GatewayError).headers?.['retry-after']).toBe('1');
    }
  });

  it('reads a validationException about the content filter or the context window as those errors, for their fallbacks', async () => {
    const blocked = await readAll(awsEventStreamFrameBatches(cutAt(exception('validationException', 'Output blocked by content filtering policy.'), [])));
    expect(blocked.error).toMatchObject({ status: 400, code: 'content_policy_violation' });
    const overflow = await readAll(awsEventStreamFrameBatches(cutAt(exception('validationException', 'Input is too long for requested model.'), [])));
    expect(overflow.error).toMatchObject({ status: 400, code: 'context_length_exceeded' });
    const plain = await readAll(awsEventStreamFrameBatches(cutAt(exception('validationException', 'Bad input'), [])));
    expect(plain.error).toMatchObject({ status: 400, code: 'validationException', message: 'The upstream stream failed with validationException: Bad input' });
  });

  it('reports an exception type it does not know as a 502 that still names it', async () => {
    const { error } = await readAll(awsEventStreamFrameBatches(cutAt(exception('modelStreamErrorException', 'The model stream broke.'), [9])));
    expect(error).toMatchObject({
      status: 502,
      code: 'modelStreamErrorException',
      message: 'The upstream stream failed with modelStreamErrorException: The model stream broke.',
    });
  });

  it('turns an error message (:error-code, :error-message) into an upstream error', async () => {
    const failure = codec.encode({
      headers: {
        ':message-type': { type: 'string', value: 'error' },
        ':error-code': { type: 'string', value: 'InternalFailure' },
        ':error-message': { type: 'string', value: 'Something broke' },
      },
      body: new Uint8Array(0),
    });
    const { error } = await readAll(awsEventStreamFrameBatches(cutAt(failure, [])));
    expect(error).toMatchObject({ status: 502, code: 'InternalFailure', message: 'The upstream stream failed with InternalFailure: Something broke' });
  });

  it("surfaces the codec's checksum error on a corrupted payload as an upstream error", async () => {
    const corrupted = concat([START, DELTA]);
    corrupted[START.length + DELTA.length - 10]! ^= 0xff;
    const { frames, error } = await readAll(awsEventStreamFrameBatches(cutAt(corrupted, [])));
    expect(frames).toHaveLength(1);
    expect(error).toBeInstanceOf(GatewayError);
    expect(error).toMatchObject({ status: 502, code: 'upstream_invalid_response' });
    expect((error as Error).message).toMatch(/^The upstream sent an AWS event-stream message that does not decode: The message checksum \(\d+\) did not match/);
  });

  it("surfaces the codec's prelude checksum error as an upstream error", async () => {
    const corrupted = new Uint8Array(START);
    corrupted[9]! ^= 0x01;
    const { error } = await readAll(awsEventStreamFrameBatches(cutAt(corrupted, [])));
    expect((error as Error).message).toMatch(/does not decode: The prelude checksum specified in the message \(\d+\) does not match/);
  });

  it('reports a stream that ends inside a message', async () => {
    const { frames, error } = await readAll(awsEventStreamFrameBatches(cutAt(concat([START, DELTA.subarray(0, 20)]), [5])));
    expect(frames).toHaveLength(1);
    expect(error).toMatchObject({
      status: 502,
      message: `The upstream's AWS event stream ended in the middle of a message (20 of ${DELTA.length} bytes).`,
    });
  });

  it('refuses bytes that are not an event stream without allocating what they announce', async () => {
    // "<htm" read as a length is about 1 GB.
    const { error } = await readAll(awsEventStreamFrameBatches(cutAt(utf8('<html>Bad Gateway</html>'), [])));
    expect(error).toMatchObject({
      status: 502,
      code: 'upstream_invalid_response',
      message: expect.stringContaining('announced a message of 1013478509 bytes'),
    });
  });
});
