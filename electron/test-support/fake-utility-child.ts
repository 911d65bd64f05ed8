/**
 * A utility process for gateway-host tests, forked under plain Node: the real runUtility protocol over the IPC
 * channel, with a stand-in gateway (an HTTP server answering /health/liveliness) instead of the real one.
 * FAKE_CRASH_AFTER_MS makes it die with code 3 that long after it started listening.
 */
import { createServer } from 'node:http';
import { Writable } from 'node:stream';
import { parseCli } from '../../server/cli/args.ts';
import { nodeProcessPort, runUtility, type ServeModule, type ServingGateway } from '../utility-entry.ts';

const fakeServer: ServeModule = {
  parseCli,
  isPortInUse: (err) => (err as NodeJS.ErrnoException).code === 'EADDRINUSE',
  async serveGateway({ flags }): Promise<ServingGateway> {
    const server = createServer((req, res) => {
      if (req.url === '/health/liveliness') res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify("I'm alive!"));
      else res.writeHead(404).end();
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(flags.port, flags.host, resolve);
    });
    const crashAfter = Number(process.env.FAKE_CRASH_AFTER_MS ?? 0);
    if (crashAfter > 0) setTimeout(() => process.exit(3), crashAfter);
    const port = (server.address() as { port: number }).port;
    return {
      url: `http://127.0.0.1:${port}`,
      host: '127.0.0.1',
      port,
      dataDir: flags.dataDir ?? '',
      configPath: null,
      secretStore: { kind: 'file', weakerProtection: true },
      masterKey: () => process.env.FAKE_MASTER_KEY,
      close: () => new Promise<void>((resolve) => server.close(() => resolve())),
    };
  },
};

runUtility(nodeProcessPort(), {
  server: async () => fakeServer,
  exit: (code) => process.exit(code),
  pid: process.pid,
  openLog: () => new Writable({ write: (_chunk, _encoding, done) => done() }),
});
