import { describe, expect, it } from 'vitest';
import { GatewayError } from '../core/errors.ts';
import { primed, primedOrThrow } from './primed-stream.ts';

/** A source that records how far it was read and whether its cleanup ran. */
function source(frames: string[], failAt = -1) {
  const seen = { pulled: 0, cleanedUp: false };
  async function* generate(): AsyncGenerator<string> {
    try {
      for (let i = 0; i < frames.length; i++) {
        if (i === failAt) throw new GatewayError(400, 'blocked', { code: 'content_policy_violation' });
        seen.pulled++;
        yield frames[i]!;
      }
    } finally {
      seen.cleanedUp = true;
    }
  }
  return { stream: generate(), seen };
}

async function all(frames: AsyncIterable<string>): Promise<string[]> {
  const out: string[] = [];
  for await (const frame of frames) out.push(frame);
  return out;
}

describe('primed', () => {
  it('reads exactly the first frame up front, then gives every frame in order', async () => {
    const { stream, seen } = source(['a', 'b', 'c']);
    const frames = await primed(stream);
    expect(seen.pulled).toBe(1);
    expect(await all(frames)).toEqual(['a', 'b', 'c']);
  });

  it('rejects with what the first read threw', async () => {
    const { stream } = source(['a'], 0);
    await expect(primed(stream)).rejects.toMatchObject({ status: 400, code: 'content_policy_violation' });
  });

  it('gives an empty stream as empty', async () => {
    expect(await all(await primed(source([]).stream))).toEqual([]);
  });

  it('runs the source’s cleanup when the consumer stops early', async () => {
    const { stream, seen } = source(['a', 'b', 'c']);
    for await (const _frame of await primed(stream)) break;
    expect(seen.cleanedUp).toBe(true);
    expect(seen.pulled).toBe(1);
  });
});

describe('primedOrThrow', () => {
  it('closes the upstream and throws the classified error when the first read fails', async () => {
    let closed = 0;
    const classified = new GatewayError(502, 'classified');
    const failing: AsyncIterable<string> = {
      [Symbol.asyncIterator]: () => ({ next: () => Promise.reject(new Error('socket hang up')) }),
    };
    await expect(
      primedOrThrow(
        failing,
        () => classified,
        () => closed++,
      ),
    ).rejects.toBe(classified);
    expect(closed).toBe(1);
  });
});
