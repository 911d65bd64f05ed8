import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger, maskLogsWith } from './logger.ts';

/** A logger at debug writing JSON lines to memory, as the console would get them. */
function capturedLogger() {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(chunk.toString());
      done();
    },
  });
  return { lines, ...createLogger({ level: 'debug', destination, pretty: false }) };
}

const CONFIGURED = 'plain-configured-credential';

describe('createLogger masks every line it writes', () => {
  it('masks configured secrets and key shapes in msg, err and other fields, on the console and in the ring', () => {
    const { lines, logger, ring } = capturedLogger();
    maskLogsWith(logger, () => [CONFIGURED]);
    logger.error(
      { err: new Error(`upstream said: invalid key ${CONFIGURED}`), detail: 'Incorrect API key provided: sk-proj-abcdefghijklmnop1234' },
      `failed with ${CONFIGURED}`,
    );
    expect(lines).toHaveLength(1);
    const line = JSON.parse(lines[0] ?? '') as { msg: string; err: { message: string; stack: string }; detail: string };
    expect(line.msg).toBe('failed with pla…tial');
    expect(line.err.message).toBe('upstream said: invalid key pla…tial');
    expect(line.err.stack).not.toContain(CONFIGURED);
    expect(line.detail).toBe('Incorrect API key provided: sk-…1234');
    expect(lines[0]?.endsWith('\n')).toBe(true);
    expect(ring.tail().join('\n')).not.toContain(CONFIGURED);
  });

  it('reads the secrets on each line, so a secret configured later is masked from then on', () => {
    const { lines, logger } = capturedLogger();
    let secrets: string[] = [];
    maskLogsWith(logger, () => secrets);
    logger.info(`quoted ${CONFIGURED}`);
    secrets = [CONFIGURED];
    logger.info(`quoted ${CONFIGURED}`);
    expect(lines.map((l) => (JSON.parse(l) as { msg: string }).msg)).toEqual([`quoted ${CONFIGURED}`, 'quoted pla…tial']);
  });

  it('keeps the gateway identifiers readable and pino’s own censoring', () => {
    const { lines, logger } = capturedLogger();
    const deploymentId = 'a3f1c2d4e5b60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f90';
    logger.debug({ deploymentId, headers: { authorization: 'Bearer sk-abcdefgh12345678' } }, 'request');
    expect(JSON.parse(lines[0] ?? '')).toMatchObject({ deploymentId, headers: { authorization: '[masked]' }, msg: 'request' });
  });
});
