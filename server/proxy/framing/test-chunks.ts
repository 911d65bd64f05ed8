/** Upstream bodies for the framing tests: the same bytes cut into network reads in every way that matters. */

/** `bytes` as an upstream body, cut at the given offsets. */
export async function* cutAt(bytes: Uint8Array, cuts: number[]): AsyncGenerator<Uint8Array> {
  let start = 0;
  for (const cut of [...cuts, bytes.length]) {
    yield bytes.slice(start, cut);
    start = cut;
  }
}

/** Every single cut (two reads, the boundary at each byte offset), then one read per byte. */
export function everyCut(bytes: Uint8Array): { name: string; cuts: number[] }[] {
  const offsets = Array.from({ length: bytes.length - 1 }, (_, i) => i + 1);
  return [...offsets.map((offset) => ({ name: `cut at byte ${offset}`, cuts: [offset] })), { name: 'one byte per read', cuts: offsets }];
}

export async function collectBatches<T>(batches: AsyncIterable<T[]>): Promise<T[][]> {
  const out: T[][] = [];
  for await (const batch of batches) out.push(batch);
  return out;
}

/** Reads a body to its end: the frames it yielded, and the error it ended with, if any. */
export async function readAll<T>(batches: AsyncIterable<T[]>): Promise<{ frames: T[]; error?: unknown }> {
  const frames: T[] = [];
  try {
    for await (const batch of batches) frames.push(...batch);
  } catch (error) {
    return { frames, error };
  }
  return { frames };
}

export const utf8 = (text: string) => new TextEncoder().encode(text);
