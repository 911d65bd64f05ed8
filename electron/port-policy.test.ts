import { createServer, type RequestListener, type Server } from 'node:http';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  classifyPortOwner,
  describeConflict,
  parsePidRecord,
  PID_FILE,
  probeLiveliness,
  processIsAlive,
  readPidRecord,
  stopStaleInstance,
  validatePort,
} from './port-policy.ts';

const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise((resolve) => s.close(resolve))));
});

async function serve(handler: RequestListener): Promise<number> {
  const server = createServer(handler);
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as { port: number }).port;
}

const liveliness = () =>
  serve((req, res) => {
    if (req.url === '/health/liveliness') res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify("I'm alive!"));
    else res.writeHead(404).end();
  });

describe('validatePort', () => {
  it('accepts whole numbers from 1024 to 65535, as numbers or typed text', () => {
    expect(validatePort(4000)).toEqual({ ok: true, port: 4000 });
    expect(validatePort(' 4001 ')).toEqual({ ok: true, port: 4001 });
    expect(validatePort('1024')).toEqual({ ok: true, port: 1024 });
    expect(validatePort(65535)).toEqual({ ok: true, port: 65535 });
  });
  it('refuses everything else with a message that says what is allowed', () => {
    for (const input of [80, '1023', 65536, '99999', 0, -1, 4000.5, '4000.5', '4e3', '0x1000', '', 'abc', null, undefined, {}, '４０００']) {
      const check = validatePort(input);
      expect(check.ok, String(input)).toBe(false);
      if (!check.ok) expect(check.message).toMatch(/1024.*65535/);
    }
  });
});

describe('port owner', () => {
  it('probes /health/liveliness on 127.0.0.1', async () => {
    expect(await probeLiveliness(await liveliness())).toBe(true);
    // Something else answers there.
    expect(await probeLiveliness(await serve((_req, res) => res.writeHead(200).end('<html>hello</html>')))).toBe(false);
    expect(await probeLiveliness(await serve((_req, res) => res.writeHead(404).end()))).toBe(false);
  });

  it('gives up quickly on a port that accepts but never answers', async () => {
    const port = await serve(() => undefined);
    const started = Date.now();
    expect(await probeLiveliness(port, { timeoutMs: 200 })).toBe(false);
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('is false when nothing listens', async () => {
    const port = await serve(() => undefined);
    await new Promise((resolve) => servers.pop()!.close(resolve));
    expect(await probeLiveliness(port)).toBe(false);
  });

  it('ours-stale only with our live pid file for that port; a gateway otherwise; foreign when no gateway answers', async () => {
    const port = await liveliness();
    const record = { pid: 4242, port, startedAt: '2026-01-01T00:00:00Z' };
    expect(await classifyPortOwner(port, { readPidRecord: () => record, isAlive: () => true })).toEqual({ port, owner: 'ours-stale', pid: 4242 });
    expect(await classifyPortOwner(port, { readPidRecord: () => record, isAlive: () => false })).toEqual({ port, owner: 'gateway' });
    expect(await classifyPortOwner(port, { readPidRecord: () => ({ ...record, port: port + 1 }), isAlive: () => true })).toEqual({ port, owner: 'gateway' });
    expect(await classifyPortOwner(port, { readPidRecord: () => undefined })).toEqual({ port, owner: 'gateway' });
    // Our own current child is never "stale".
    expect(await classifyPortOwner(port, { readPidRecord: () => record, isAlive: () => true, ownPid: 4242 })).toEqual({ port, owner: 'gateway' });
    const other = await serve((_req, res) => res.writeHead(200).end('nginx'));
    expect(await classifyPortOwner(other, { readPidRecord: () => ({ ...record, port: other }), isAlive: () => true })).toEqual({
      port: other,
      owner: 'foreign',
    });
  });

  it('reads the pid file, refusing garbage', () => {
    const dir = mkdtempSync(join(tmpdir(), 'llmgw-pid-'));
    try {
      expect(readPidRecord(dir)).toBeUndefined();
      writeFileSync(join(dir, PID_FILE), JSON.stringify({ pid: 12, port: 4000, startedAt: 'x' }));
      expect(readPidRecord(dir)).toEqual({ pid: 12, port: 4000, startedAt: 'x' });
      for (const text of ['', '{', '[]', '{"pid":"12","port":4000}', '{"pid":0,"port":4000}', '{"pid":-5,"port":4000}', '{"pid":12}'])
        expect(parsePidRecord(text), text).toBeUndefined();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('knows whether a process is alive', () => {
    expect(processIsAlive(process.pid)).toBe(true);
    expect(processIsAlive(2 ** 22 + 12345)).toBe(false);
  });

  it('describes each owner for the tray', () => {
    expect(describeConflict({ port: 4000, owner: 'ours-stale' }).title).toBe('Port 4000 is in use');
    expect(describeConflict({ port: 4000, owner: 'ours-stale' }).detail).toMatch(/earlier LLM Gateway/);
    expect(describeConflict({ port: 4000, owner: 'gateway' }).detail).toMatch(/npm start/);
    expect(describeConflict({ port: 4000, owner: 'foreign' }).detail).toMatch(/Another program/);
    expect(describeConflict({ port: 4000, owner: 'checking' }).detail).toMatch(/Checking/);
  });
});

describe('stopStaleInstance', () => {
  const noSleep = async () => undefined;

  it('sends SIGTERM and waits until the process is gone', async () => {
    const signals: string[] = [];
    let alive = 3;
    const stopped = await stopStaleInstance(
      { port: 4000, owner: 'ours-stale', pid: 77 },
      { kill: (_pid, s) => void signals.push(s), isAlive: () => alive-- > 0, answers: async () => false, sleep: noSleep },
    );
    expect(stopped).toBe(true);
    expect(signals).toEqual(['SIGTERM']);
  });

  it('SIGKILLs one that does not go in time', async () => {
    const signals: string[] = [];
    let dead = false;
    const stopped = await stopStaleInstance(
      { port: 4000, owner: 'ours-stale', pid: 77 },
      {
        kill: (_pid, s) => {
          signals.push(s);
          if (s === 'SIGKILL') dead = true;
        },
        isAlive: () => !dead,
        answers: async () => true,
        sleep: noSleep,
        timeoutMs: 1000,
      },
    );
    expect(stopped).toBe(true);
    expect(signals).toEqual(['SIGTERM', 'SIGKILL']);
  });

  it('never touches a process that is not our stale gateway', async () => {
    const signals: string[] = [];
    const deps = { kill: (_pid: number, s: string) => void signals.push(s), isAlive: () => true, answers: async () => true, sleep: noSleep };
    expect(await stopStaleInstance({ port: 4000, owner: 'gateway' }, deps)).toBe(false);
    expect(await stopStaleInstance({ port: 4000, owner: 'foreign', pid: 1 }, deps)).toBe(false);
    expect(await stopStaleInstance({ port: 4000, owner: 'ours-stale' }, deps)).toBe(false);
    expect(signals).toEqual([]);
  });
});
