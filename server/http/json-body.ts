/**
 * Request bodies: JSON under a JSON content type (`application/json`, `application/*+json`) and nothing else.
 * Any other content type — `text/plain` and form encoding above all, which a web page may POST cross-site
 * without a CORS preflight — or a body without one is a 415 before the body is read.
 *
 * JSON is parsed by Fastify's own secure parser (secure-json-parse): a body with a `__proto__` key or a
 * `constructor.prototype` is refused with 400, as Fastify does by default. Nesting deeper than
 * MAX_JSON_DEPTH is a 400 before anything parses it: recursive code further on (schema validation, copies,
 * the cache key) would otherwise overflow the stack into a 500. A body that does not parse is never quoted
 * back: it may hold a key.
 *
 * A body curl sent as a form (`--data` without a Content-Type) is read as JSON when the request carries a key header.
 * The one leniency of the parse: a body that strict JSON refuses is read again without its trailing commas (`[1, 2,]`,
 * trailing-commas.ts) — LiteLLM proxy's documented curls send them. A valid body never pays for this.
 */
import type { FastifyInstance } from 'fastify';
import { invalidJson } from './error-handler.ts';
import { GatewayError } from '../core/errors.ts';
import type { Logger } from '../observe/logger.ts';
import { BACKSLASH, CLOSE_BRACE, CLOSE_BRACKET, OPEN_BRACE, OPEN_BRACKET, QUOTE } from './json-chars.ts';
import { withoutTrailingCommas } from './trailing-commas.ts';

/** Objects and arrays nested deeper than this are refused; real requests (tool schemas included) stay far below. */
export const MAX_JSON_DEPTH = 64;

/** `application/json`, `application/vnd.api+json`, `application/merge-patch+json`… with any parameters. */
const JSON_SUFFIX_TYPE = /^application\/[\w!#$&^.+-]+\+json\s*(;|$)/i;

/** Whether `text` nests objects or arrays deeper than `limit` (brackets inside strings do not count). */
export function nestsDeeperThan(text: string, limit: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === BACKSLASH) i++;
      else if (c === QUOTE) inString = false;
    } else if (c === QUOTE) inString = true;
    else if (c === OPEN_BRACE || c === OPEN_BRACKET) {
      if (++depth > limit) return true;
    } else if (c === CLOSE_BRACE || c === CLOSE_BRACKET) depth--;
  }
  return false;
}

const tooDeep = () =>
  new GatewayError(400, `The request body nests objects or arrays more than ${MAX_JSON_DEPTH} levels deep, the gateway's limit.`, {
    code: 'json_too_deep',
  });

const poisoned = () =>
  new GatewayError(400, 'The request body has a `__proto__` or `constructor.prototype` key, which the gateway refuses (prototype poisoning).', {
    code: 'invalid_json',
  });

function isJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

/** What curl sends with `--data` and no Content-Type of its own. */
const FORM_TYPE = 'application/x-www-form-urlencoded';

function carriesKeyHeader(headers: Record<string, string | string[] | undefined>): boolean {
  const authorization = headers.authorization;
  return (
    (typeof authorization === 'string' && /^bearer\s+\S/i.test(authorization)) ||
    typeof headers['x-api-key'] === 'string' ||
    typeof headers['api-key'] === 'string'
  );
}

function unsupportedMediaType(contentType: string | undefined): GatewayError {
  const mediaType = contentType?.split(';')[0]?.trim().slice(0, 100);
  const what = mediaType ? `Content-Type \`${mediaType}\` is not accepted` : 'The request has a body but no Content-Type';
  return new GatewayError(415, `${what}: send the body as JSON with \`Content-Type: application/json\`.`, { code: 'unsupported_media_type' });
}

/**
 * Replaces the scope's parsers with the JSON ones above (a scope may add more after, e.g. YAML).
 * `hint`: what to send instead, for a route whose body has one shape (e.g. `send {"value": …}`).
 * `logger`: hears one debug line per request whose body needed its trailing commas dropped.
 */
export function acceptJsonBodies(app: FastifyInstance, hint?: string, logger?: Logger): void {
  const secureParse = app.getDefaultJsonParser('error', 'error');
  const tryParse = (text: string): { error: Error | null; value: unknown } => {
    let parsed: { error: Error | null; value: unknown } = { error: null, value: undefined };
    secureParse(undefined as never, text, (error, value) => {
      parsed = { error: error ?? null, value };
    });
    return parsed;
  };
  let tolerated = 0;
  const parse = (text: string): unknown => {
    if (text.trim() === '') return undefined;
    if (nestsDeeperThan(text, MAX_JSON_DEPTH)) throw tooDeep();
    const parsed = tryParse(text);
    if (!parsed.error) return parsed.value;
    // Fastify's parser says only "not valid JSON": parse again to tell a syntax error (and where) from a poisoned key.
    try {
      JSON.parse(text);
    } catch (syntax) {
      const lenient = withoutTrailingCommas(text);
      const second = lenient === undefined ? undefined : tryParse(lenient);
      if (second && !second.error) {
        tolerated++;
        logger?.debug(
          `request body had a trailing comma before } or ] (not JSON; accepted as LiteLLM's proxy did): ${tolerated} such request${tolerated === 1 ? '' : 's'} so far`,
        );
        return second.value;
      }
      // Valid JSON once the commas are gone, but refused by the secure parser: a poisoned key behind a trailing comma.
      if (second && lenient !== undefined && isJson(lenient)) throw poisoned();
      throw hint ? new GatewayError(400, `The request body is not valid JSON; ${hint}.`, { code: 'invalid_json' }) : invalidJson(syntax as Error);
    }
    throw poisoned();
  };

  // curl sends `--data` without `-H 'Content-Type: application/json'` as a form; LiteLLM's documented curls do that.
  // Read it as JSON only when it carries a key header: a page can POST a form cross-site without a CORS preflight,
  // but not with Authorization / x-api-key / api-key (the browser preflights those, and the gateway never asks for
  // Basic auth, so no browser adds one by itself).
  let formTypedJson = 0;
  app.addHook('onRequest', (request, _reply, done) => {
    const { headers } = request;
    if (headers['content-type'] === FORM_TYPE && carriesKeyHeader(headers)) {
      headers['content-type'] = 'application/json';
      formTypedJson++;
      logger?.debug(
        `request body sent as a form with a key header (curl --data without a Content-Type) read as JSON: ${formTypedJson} such request${formTypedJson === 1 ? '' : 's'} so far`,
      );
    }
    done();
  });

  app.removeAllContentTypeParsers();
  const jsonParser = (_request: unknown, body: string | Buffer, done: (error: Error | null, value?: unknown) => void) => {
    try {
      done(null, parse(String(body)));
    } catch (error) {
      done(error as Error, undefined);
    }
  };
  app.addContentTypeParser('application/json', { parseAs: 'string' }, jsonParser);
  app.addContentTypeParser(JSON_SUFFIX_TYPE, { parseAs: 'string' }, jsonParser);
  // Refused before a byte of the body is read.
  app.addContentTypeParser('*', (request, _payload, done) => done(unsupportedMediaType(request.headers['content-type']), undefined));
}
