import { describe, expect, it } from 'vitest';
import { toLogLine } from './log-lines.ts';

const DEPLOYMENT_ID = 'a3f1c2d4e5b60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f90';

describe('toLogLine', () => {
  it('parses a pino line and keeps what is not secret as it is', () => {
    const line = JSON.stringify({
      level: 20,
      time: 1700000000000,
      requestId: '1b4e28ba-2fa1-11d2-883f-0016d3cca427',
      deploymentId: DEPLOYMENT_ID,
      status: 200,
      msg: 'request',
    });
    expect(toLogLine(line, [])).toEqual(JSON.parse(line));
  });

  it('masks known secrets anywhere, secret-named fields at any depth and key-shaped values in free text', () => {
    const known = 'plain-looking-known-secret';
    const line = JSON.stringify({
      level: 50,
      time: 1,
      msg: `failed with ${known}`,
      err: { message: 'Incorrect API key provided: sk-proj-abcdefghijklmnop1234' },
      req: { headers: { Authorization: 'Bearer abcdefghijklmnop', cookie: 'session=abcdef123456' } },
      list: [{ password: 'hunter2hunter2' }],
      api_key: '[masked]',
    });
    const out = toLogLine(line, [known]);
    const text = JSON.stringify(out);
    for (const secret of [known, 'sk-proj-abcdefghijklmnop1234', 'abcdefghijklmnop', 'session=abcdef123456', 'hunter2hunter2'])
      expect(text).not.toContain(secret);
    expect(out.msg).toBe('failed with pla…cret');
    expect(out).toMatchObject({ req: { headers: { Authorization: 'Bearer abc…mnop' } }, list: [{ password: 'hun…ter2' }], api_key: '[masked]' });
  });

  it('turns a line that is not JSON into an info line, masked', () => {
    const out = toLogLine('oops sk-live-0123456789abcdef', []);
    expect(out).toMatchObject({ level: 30, msg: 'oops sk-…cdef' });
    expect(typeof out.time).toBe('number');
  });
});
