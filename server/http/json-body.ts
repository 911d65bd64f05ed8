/**
 * Request bodies are JSON whatever their content type says (`curl -d` sends form encoding, fetch() with
 * a string sends text/plain, some clients send none). A body that does not parse is never quoted back:
 * it may hold a key.
 */
import type { FastifyInstance } from 'fastify';
import { invalidJson } from './error-handler.ts';
import { GatewayError } from '../core/errors.ts';

/** `hint`: what to send instead, for a route whose body has one shape (e.g. `send {"value": …}`). */
export function acceptJsonBodies(app: FastifyInstance, hint?: string): void {
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'string' }, (_request, body, done) => {
    const text = String(body);
    if (text.trim() === '') return done(null, undefined);
    try {
      done(null, JSON.parse(text));
    } catch (err) {
      done(hint ? new GatewayError(400, `The request body is not valid JSON; ${hint}.`, { code: 'invalid_json' }) : invalidJson(err as Error), undefined);
    }
  });
}
