import { createServer, type RequestListener, type Server } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { ExportError, fetchConfigExport } from './config-export.ts';

const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise((resolve) => s.close(resolve))));
});

async function gateway(handler: RequestListener): Promise<string> {
  const server = createServer(handler);
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as { port: number }).port}`;
}

describe('config export', () => {
  it('fetches /admin/config/export with the master key', async () => {
    let seen: { url?: string; auth?: string } = {};
    const url = await gateway((req, res) => {
      seen = { url: req.url, auth: req.headers.authorization };
      res.writeHead(200, { 'content-type': 'text/yaml' }).end('model_list: []\n');
    });
    expect(await fetchConfigExport(url, 'sk-master')).toBe('model_list: []\n');
    expect(seen).toEqual({ url: '/admin/config/export', auth: 'Bearer sk-master' });
  });

  it('says why it failed, never echoing the key', async () => {
    const url = await gateway((req, res) => {
      if (req.url === '/admin/config/export') res.writeHead(401).end(JSON.stringify({ error: { message: `Invalid key sk-master` } }));
    });
    const error = await fetchConfigExport(url, 'sk-master').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ExportError);
    expect((error as Error).message).toMatch(/Invalid key/);
    expect((error as Error).message).not.toContain('sk-master');
  });

  it('explains a gateway without the export endpoint, a missing key and an unreachable gateway', async () => {
    const url = await gateway((_req, res) => res.writeHead(404).end());
    await expect(fetchConfigExport(url, 'k')).rejects.toThrow(/cannot export/);
    await expect(fetchConfigExport(url, undefined)).rejects.toThrow(/no master key/);
    await expect(fetchConfigExport('http://127.0.0.1:1', 'k')).rejects.toThrow(/Could not reach/);
  });
});
