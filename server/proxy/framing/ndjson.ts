/**
 * Newline-delimited JSON (Ollama's native API, Cohere v1): upstream bytes → one parsed JSON value per
 * line, one batch per network read. Blank lines are skipped; a line that is not JSON ends the stream
 * with an upstream error, after the values before it.
 */
import { GatewayError } from '../../core/errors.ts';
import type { JsonValue } from '../../providers/types.ts';

export const NDJSON_CONTENT_TYPES: readonly string[] = ['application/x-ndjson', 'application/jsonl', 'application/json'];

export async function* ndjsonFrameBatches(body: AsyncIterable<Uint8Array>): AsyncGenerator<JsonValue[]> {
  const decoder = new TextDecoder();
  const lines = new LineReader();
  for await (const bytes of body) {
    const batch = lines.read(decoder.decode(bytes, { stream: true }));
    if (batch.length) yield batch;
    lines.throwIfFailed();
  }
  // The last line needs no newline after it.
  const last = lines.read(`${decoder.decode()}\n`);
  if (last.length) yield last;
  lines.throwIfFailed();
}

class LineReader {
  /** Text after the last newline seen: the start of a line still arriving. */
  private pending = '';
  private lineNumber = 0;
  private failure: GatewayError | undefined;

  /** The values of the lines `text` completes; stops at the first line that is not JSON. */
  read(text: string): JsonValue[] {
    const values: JsonValue[] = [];
    if (this.failure) return values;
    const all = this.pending + text;
    let start = 0;
    // `pending` holds no newline, so the search starts after it.
    for (let end = all.indexOf('\n', this.pending.length); end !== -1; end = all.indexOf('\n', start)) {
      const line = all.slice(start, end);
      start = end + 1;
      this.lineNumber++;
      if (line.trim() === '') continue;
      try {
        values.push(JSON.parse(line) as JsonValue);
      } catch {
        this.failure = new GatewayError(502, `The upstream's NDJSON stream has a line that is not JSON (line ${this.lineNumber}): ${line.slice(0, 200)}`, {
          code: 'upstream_invalid_response',
        });
        break;
      }
    }
    this.pending = all.slice(start);
    return values;
  }

  throwIfFailed(): void {
    if (this.failure) throw this.failure;
  }
}
