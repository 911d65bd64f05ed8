/** While the live tail watches, the ring (only) gets debug lines; the console keeps its level; then all is restored. */
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { liveTailWatchers, watchLiveTail } from './live-tail.ts';
import { LogRing } from './log-ring.ts';
import { createLogger, type LoggerOptions } from './logger.ts';

function capture(level: LoggerOptions['level']) {
  const out: string[] = [];
  const destination = new Writable({
    write(chunk, _encoding, done) {
      out.push(String(chunk));
      done();
    },
  });
  const { logger, ring } = createLogger({ level, destination, pretty: false });
  const msgs = (lines: string[]) => lines.map((l) => (JSON.parse(l) as { msg: string }).msg);
  return { logger, ring, console: () => msgs(out.join('').split('\n').filter(Boolean)), ringMsgs: () => msgs(ring.tail()) };
}

describe('live tail levels', () => {
  it('at info: debug lines reach the ring only while watched, never the console', () => {
    const { logger, ring, console, ringMsgs } = capture('info');
    logger.debug('debug before');
    expect(logger.isLevelEnabled('debug')).toBe(false);

    const seen: string[] = [];
    const stop = watchLiveTail(ring, (line) => seen.push(line));
    expect(liveTailWatchers(ring)).toBe(1);
    expect(logger.level).toBe('debug');
    logger.debug('debug watched');
    logger.info('info watched');
    logger.trace('trace watched');
    expect(ringMsgs()).toEqual(['debug watched', 'info watched']);
    expect(seen).toHaveLength(2);
    expect(console()).toEqual(['info watched']);

    stop();
    stop();
    expect(liveTailWatchers(ring)).toBe(0);
    expect(logger.level).toBe('info');
    logger.debug('debug after');
    logger.info('info after');
    expect(ringMsgs()).toEqual(['debug watched', 'info watched', 'info after']);
    expect(console()).toEqual(['info watched', 'info after']);
    expect(seen).toHaveLength(2);
  });

  it('at warn: the console keeps warn, the ring gets debug and back to warn', () => {
    const { logger, ring, console, ringMsgs } = capture('warn');
    const stop = watchLiveTail(ring, () => undefined);
    logger.debug('d');
    logger.info('i');
    logger.warn('w');
    stop();
    logger.info('i2');
    logger.warn('w2');
    expect(ringMsgs()).toEqual(['d', 'i', 'w', 'w2']);
    expect(console()).toEqual(['w', 'w2']);
    expect(logger.level).toBe('warn');
  });

  it('--debug and --detailed_debug: the console keeps everything it had, the level never rises', () => {
    for (const level of ['debug', 'trace'] as const) {
      const { logger, ring, console, ringMsgs } = capture(level);
      const stop = watchLiveTail(ring, () => undefined);
      expect(logger.level).toBe(level);
      logger.trace('t');
      logger.debug('d');
      stop();
      expect(logger.level).toBe(level);
      logger.debug('d2');
      const expected = level === 'trace' ? ['t', 'd', 'd2'] : ['d', 'd2'];
      expect(ringMsgs()).toEqual(expected);
      expect(console()).toEqual(expected);
    }
  });

  it('silent without a console (tests): debug while watched, silent again after', () => {
    const { logger, ring } = createLogger({ level: 'silent', destination: null });
    logger.error('nothing');
    expect(ring.tail()).toEqual([]);
    const stop = watchLiveTail(ring, () => undefined);
    expect(logger.level).toBe('debug');
    logger.debug('seen');
    stop();
    expect(logger.level).toBe('silent');
    logger.error('nothing again');
    expect(ring.tail().map((l) => (JSON.parse(l) as { msg: string }).msg)).toEqual(['seen']);
  });

  it('counts watchers: the level drops back only when the last one leaves', () => {
    const { logger, ring } = createLogger({ level: 'info', destination: null });
    const a = watchLiveTail(ring, () => undefined);
    const b = watchLiveTail(ring, () => undefined);
    a();
    expect(logger.level).toBe('debug');
    b();
    expect(logger.level).toBe('info');
  });

  it('a ring without a logger of ours is tailed at what it gets', () => {
    const ring = new LogRing();
    const seen: string[] = [];
    const stop = watchLiveTail(ring, (line) => seen.push(line));
    ring.write('{"level":30,"time":1,"msg":"x"}\n');
    stop();
    ring.write('{"level":30,"time":1,"msg":"y"}\n');
    expect(seen).toEqual(['{"level":30,"time":1,"msg":"x"}']);
  });

  it('a logger rebuilt over a watched ring starts at debug', () => {
    const ring = new LogRing();
    const stop = watchLiveTail(ring, () => undefined);
    const { logger } = createLogger({ level: 'info', destination: null, ring });
    expect(logger.level).toBe('debug');
    stop();
    expect(logger.level).toBe('info');
  });
});
