import { describe, expect, it } from 'vitest';
import { LogRing } from './log-ring.ts';
import { createLogger } from './logger.ts';

describe('LogRing', () => {
  it('keeps the last `capacity` lines, without their newline', () => {
    const ring = new LogRing(3);
    for (const line of ['a\n', 'b\n', 'c', 'd\n', 'e\n']) ring.write(line);
    expect(ring.tail()).toEqual(['c', 'd', 'e']);
  });

  it('tails the last n lines', () => {
    const ring = new LogRing();
    expect(ring.capacity).toBe(2000);
    for (let i = 0; i < 10; i++) ring.write(`line ${i}\n`);
    expect(ring.tail(2)).toEqual(['line 8', 'line 9']);
    expect(ring.tail(50)).toHaveLength(10);
  });

  it('tells subscribers each new line until they unsubscribe', () => {
    const ring = new LogRing(2);
    ring.write('before\n');
    const seen: string[] = [];
    const unsubscribe = ring.subscribe((line) => seen.push(line));
    ring.write('one\n');
    ring.write('two\n');
    unsubscribe();
    ring.write('three\n');
    expect(seen).toEqual(['one', 'two']);
    expect(ring.tail()).toEqual(['two', 'three']);
  });
});

describe('createLogger', () => {
  it('writes JSON lines to the ring and redacts keys', () => {
    const { logger, ring } = createLogger({ level: 'debug', destination: null });
    logger.debug({ headers: { authorization: 'Bearer sk-secret-1234567890' }, config: { api_key: 'sk-secret-1234567890' } }, 'call');
    expect(ring.tail()).toHaveLength(1);
    const [line] = ring.tail();
    const entry = JSON.parse(line!) as Record<string, any>;
    expect(entry.msg).toBe('call');
    expect(entry.headers.authorization).toBe('[masked]');
    expect(entry.config.api_key).toBe('[masked]');
    expect(line).not.toContain('sk-secret');
  });

  it('writes nothing below its level', () => {
    const { logger, ring } = createLogger({ level: 'silent', destination: null });
    logger.error('boom');
    expect(ring.tail()).toEqual([]);
  });
});
