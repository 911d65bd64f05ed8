import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GatewayError } from '../core/errors.ts';
import { requireEventStream, startUpstream } from './upstream.ts';

let server: Server;
let base: string;

beforeAll(async () => {
  // Answers with the content type the path names, e.g. /application/x-ndjson.
  server = createServer((req, res) => {
    res.writeHead(200, { 'content-type': decodeURIComponent(req.url!.slice(1)) });
    res.end('<html>Bad Gateway</html>');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const answerWith = (contentType: string) => startUpstream({ url: `${base}/${encodeURIComponent(contentType)}`, method: 'GET', headers: {} }).response;

describe('requireEventStream', () => {
  it("accepts the content types of the provider's framing, text/event-stream by default", async () => {
    await expect(requireEventStream(await answerWith('text/event-stream; charset=utf-8'))).resolves.toBeUndefined();
    await expect(requireEventStream(await answerWith('application/x-ndjson'), 'ndjson')).resolves.toBeUndefined();
    await expect(requireEventStream(await answerWith('application/vnd.amazon.eventstream'), 'aws-eventstream')).resolves.toBeUndefined();
  });

  it('turns any other content type into a 502 that quotes what the upstream said', async () => {
    const error = await requireEventStream(await answerWith('text/html'), 'aws-eventstream').catch((err: unknown) => err);
    expect(error).toBeInstanceOf(GatewayError);
    expect(error).toMatchObject({
      status: 502,
      code: 'upstream_invalid_response',
      message: 'The upstream was asked to stream (application/vnd.amazon.eventstream) but answered text/html: <html>Bad Gateway</html>',
    });
    await expect(requireEventStream(await answerWith('text/event-stream'), 'ndjson')).rejects.toThrow(
      'asked to stream (application/x-ndjson or application/jsonl or application/json) but answered text/event-stream',
    );
    await expect(requireEventStream(await answerWith('application/x-ndjson'))).rejects.toThrow(
      'asked to stream (text/event-stream) but answered application/x-ndjson',
    );
  });
});
