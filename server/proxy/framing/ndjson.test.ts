import { describe, expect, it } from 'vitest';
import { GatewayError } from '../../core/errors.ts';
import { ndjsonFrameBatches } from './ndjson.ts';
import { collectBatches, cutAt, everyCut, readAll, utf8 } from './test-chunks.ts';

// Ollama-style lines with CRLF and LF ends, blank and whitespace-only lines between them, and
// characters of two, three and four UTF-8 bytes, so some cuts fall inside a character.
const STREAM = utf8(
  '{"message":{"content":"Hél"},"done":false}\r\n' +
    '\n' +
    '{"message":{"content":"lo ✓🦊"},"done":false}\n' +
    '  \t\n' +
    '[1,null]\n' +
    '{"done":true,"eval_count":3}\n',
);

const EXPECTED = [{ message: { content: 'Hél' }, done: false }, { message: { content: 'lo ✓🦊' }, done: false }, [1, null], { done: true, eval_count: 3 }];

describe('ndjsonFrameBatches', () => {
  it.each(everyCut(STREAM))('parses the same values whatever the reads: $name', async ({ cuts }) => {
    const { frames, error } = await readAll(ndjsonFrameBatches(cutAt(STREAM, cuts)));
    expect(error).toBeUndefined();
    expect(frames).toEqual(EXPECTED);
  });

  it('yields the lines of one read as one batch', async () => {
    expect(await collectBatches(ndjsonFrameBatches(cutAt(STREAM, [])))).toEqual([EXPECTED]);
  });

  it('parses a last line that has no newline', async () => {
    const { frames } = await readAll(ndjsonFrameBatches(cutAt(utf8('{"a":1}\n{"b":2}'), [10])));
    expect(frames).toEqual([{ a: 1 }, { b: 2 }]);
  });

  it('yields nothing for a stream of blank lines', async () => {
    expect(await collectBatches(ndjsonFrameBatches(cutAt(utf8('\n\r\n  \n'), [2])))).toEqual([]);
  });

  it('ends with an upstream error at a line that is not JSON, after the values before it in the same read', async () => {
    const body = utf8('{"a":1}\n{"b":2}\n<html>502 Bad Gateway</html>\n{"c":3}\n');
    const { frames, error } = await readAll(ndjsonFrameBatches(cutAt(body, [])));
    expect(frames).toEqual([{ a: 1 }, { b: 2 }]);
    expect(error).toBeInstanceOf(GatewayError);
    expect(error).toMatchObject({
      status: 502,
      code: 'upstream_invalid_response',
      message: "The upstream's NDJSON stream has a line that is not JSON (line 3): <html>502 Bad Gateway</html>",
    });
  });

  it('reports a malformed last line that has no newline', async () => {
    const { frames, error } = await readAll(ndjsonFrameBatches(cutAt(utf8('{"a":1}\n{"b":'), [3])));
    expect(frames).toEqual([{ a: 1 }]);
    expect(error).toMatchObject({ status: 502, message: expect.stringContaining('(line 2): {"b":') });
  });
});
