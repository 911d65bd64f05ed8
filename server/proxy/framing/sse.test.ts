import { describe, expect, it } from 'vitest';
import { collectBatches, cutAt, everyCut, readAll, utf8 } from './test-chunks.ts';
import { sseFrameBatches } from './sse.ts';

// Named events, an id, CRLF line ends, a comment, a data field over two lines, and characters of
// two, three and four UTF-8 bytes, so some cuts fall inside a character.
const STREAM = utf8(
  'event: message_start\r\ndata: {"t":"Hél"}\r\n\r\n' + ': keep-alive\n\n' + 'id: 7\nevent: delta\ndata: lo ✓\ndata: 🦊\n\n' + 'data: [DONE]\n\n',
);

const EXPECTED = [{ event: 'message_start', data: '{"t":"Hél"}' }, { id: '7', event: 'delta', data: 'lo ✓\n🦊' }, { data: '[DONE]' }];

describe('sseFrameBatches', () => {
  it.each(everyCut(STREAM))('parses the same events whatever the reads: $name', async ({ cuts }) => {
    const { frames, error } = await readAll(sseFrameBatches(cutAt(STREAM, cuts)));
    expect(error).toBeUndefined();
    expect(frames).toEqual(EXPECTED);
  });

  it('yields the events of one read as one batch', async () => {
    expect(await collectBatches(sseFrameBatches(cutAt(STREAM, [])))).toEqual([EXPECTED]);
  });

  it('yields nothing for a read that completes no event', async () => {
    const batches = await collectBatches(sseFrameBatches(cutAt(STREAM, [5, 10, 60])));
    expect(batches.map((batch) => batch.length)).toEqual([1, 2]);
  });

  it('ends the last event at the end of the stream even without its blank line', async () => {
    const { frames } = await readAll(sseFrameBatches(cutAt(utf8('data: a\n\ndata: b'), [3])));
    expect(frames).toEqual([{ data: 'a' }, { data: 'b' }]);
  });
});
