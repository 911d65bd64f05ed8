/**
 * Hands a parsed, validated request to the pipeline and writes what comes back. A failure is thrown to the
 * route's error handler, which renders it in its surface's shape (OpenAI's, or Anthropic's on /v1/messages).
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { runPipeline } from '../../pipeline/pipeline.ts';
import type { Surface, SurfaceCall } from '../../pipeline/surface.ts';
import { CallLifetime } from '../../proxy/call-lifetime.ts';
import { callerOf } from '../auth.ts';
import type { Runtime } from '../runtime.ts';

export async function servePipeline<C extends SurfaceCall, F>(
  runtime: Runtime,
  request: FastifyRequest,
  reply: FastifyReply,
  surface: Surface<C, F>,
): Promise<FastifyReply | undefined> {
  const inbound = {
    path: request.url,
    body: request.body as Record<string, unknown>,
    authenticate: () => callerOf(runtime, request.headers),
    lifetime: CallLifetime.forResponse(reply.raw),
  };
  const out = await runPipeline(runtime, inbound, surface);
  switch (out.kind) {
    case 'json':
      return reply.code(out.status).headers(out.headers).type('application/json').send(out.body);
    case 'stream':
      reply.hijack();
      reply.raw.writeHead(200, out.headers);
      await out.pipe(reply.raw);
      return undefined;
    case 'gone':
      reply.hijack();
      reply.raw.destroy();
      return undefined;
    case 'failed':
      reply.headers(out.headers);
      throw out.error;
  }
}
