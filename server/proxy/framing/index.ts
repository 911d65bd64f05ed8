/**
 * How a provider frames its streamed answer (`ProviderAdapter.framing`): which content types it may
 * answer with, and its body read as batches of parsed frames (one batch per network read).
 */
import type { StreamFrame, StreamFrameOf, StreamFraming } from '../../providers/types.ts';
import { AWS_EVENTSTREAM_CONTENT_TYPES, awsEventStreamFrameBatches } from './aws-eventstream.ts';
import { NDJSON_CONTENT_TYPES, ndjsonFrameBatches } from './ndjson.ts';
import { SSE_CONTENT_TYPES, sseFrameBatches } from './sse.ts';

export const STREAM_CONTENT_TYPES: Record<StreamFraming, readonly string[]> = {
  sse: SSE_CONTENT_TYPES,
  ndjson: NDJSON_CONTENT_TYPES,
  'aws-eventstream': AWS_EVENTSTREAM_CONTENT_TYPES,
};

/** Whether a response's Content-Type (parameters such as charset aside) is one the framing is sent with. */
export function acceptsContentType(framing: StreamFraming, contentType: string): boolean {
  const semicolon = contentType.indexOf(';');
  const mediaType = (semicolon === -1 ? contentType : contentType.slice(0, semicolon)).trim().toLowerCase();
  return STREAM_CONTENT_TYPES[framing].includes(mediaType);
}

type FrameBatches = { [F in StreamFraming]: (body: AsyncIterable<Uint8Array>) => AsyncGenerator<StreamFrameOf[F][]> };

const READERS: FrameBatches = {
  sse: sseFrameBatches,
  ndjson: ndjsonFrameBatches,
  'aws-eventstream': awsEventStreamFrameBatches,
};

/** The upstream body as batches of the framing's parsed frames. */
export function frameBatches<F extends StreamFraming>(framing: F, body: AsyncIterable<Uint8Array>): AsyncGenerator<StreamFrameOf[F][]>;
export function frameBatches(framing: StreamFraming, body: AsyncIterable<Uint8Array>): AsyncGenerator<StreamFrame[]> {
  return READERS[framing](body);
}
