/**
 * The dashboard at /ui/: the built renderer (Vite's output, renderer/dist by default) served by
 * @fastify/static. No master key is needed for these files — the page asks for it and sends it to the admin
 * API — but the Host check in front of every route applies.
 *
 *  - `/` → 302 `/ui/`; `/ui` → 301 `/ui/`.
 *  - `/ui/` and `/ui/index.html`: index.html, `Cache-Control: no-cache` (always revalidated, so a new build
 *    is picked up at once).
 *  - `/ui/assets/*`: Vite's content-hashed files, `Cache-Control: public, max-age=31536000, immutable`.
 *  - Client-side routes (`/ui/models`, `/ui/keys/abc`: no file extension, not a file) answer index.html, so
 *    a reload or a bookmark works; a missing file with an extension (`/ui/assets/nope.js`) is a 404.
 *  - Without a build (no index.html), page requests answer 503 with a short page saying how to build it.
 *  - Every response carries a strict Content-Security-Policy, `X-Content-Type-Options: nosniff` and
 *    `Referrer-Policy: no-referrer`.
 */
import { stat } from 'node:fs/promises';
import { extname, resolve, sep } from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { sendError } from '../error-handler.ts';
import { appPath } from '../../core/app-root.ts';
import { GatewayError } from '../../core/errors.ts';

/** renderer/dist of this repository (or of the installed app). */
export const DEFAULT_UI_DIR = appPath('renderer', 'dist');
export const UI_PREFIX = '/ui/';

export const UI_SECURITY_HEADERS = {
  'content-security-policy':
    "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; connect-src 'self'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
} as const;

export const INDEX_CACHE_CONTROL = 'no-cache';
export const ASSET_CACHE_CONTROL = 'public, max-age=31536000, immutable';

export const NOT_BUILT_PAGE = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>LLM Gateway — dashboard not built</title>
<style>
  body { font: 16px/1.5 system-ui, sans-serif; max-width: 40rem; margin: 4rem auto; padding: 0 1rem; color: #1f2328; }
  code { background: #f0f1f3; padding: 0.1rem 0.35rem; border-radius: 4px; }
</style>
</head>
<body>
<h1>The dashboard is not built</h1>
<p>The gateway is running and its API answers, but it has no built dashboard to show here.</p>
<p>Build it with <code>npm run build:ui</code> in the gateway's folder, then reload this page.</p>
</body>
</html>
`;

export interface DashboardUiOptions {
  /** The built dashboard (holding index.html and assets/); default DEFAULT_UI_DIR. */
  dir?: string;
}

async function isFile(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isFile();
  } catch {
    return false;
  }
}

export function registerDashboardUi(app: FastifyInstance, options: DashboardUiOptions = {}): void {
  const root = resolve(options.dir ?? DEFAULT_UI_DIR);
  const indexFile = resolve(root, 'index.html');
  /** The file a decoded URL path names under root, or undefined when it would leave root. */
  const fileOf = (path: string) => {
    const file = resolve(root, `.${path}`);
    return file === root || file.startsWith(root + sep) ? file : undefined;
  };

  const secure = (reply: FastifyReply) => reply.headers(UI_SECURITY_HEADERS);

  const notFound = (request: FastifyRequest, reply: FastifyReply) => {
    const path = (request.raw.url ?? '').split('?')[0];
    return sendError(secure(reply), new GatewayError(404, `Unknown path: ${request.method} ${path}.`, { code: 'unknown_url' }));
  };

  const sendIndex = async (reply: FastifyReply) => {
    if (!(await isFile(indexFile))) {
      return reply.code(503).header('cache-control', 'no-store').type('text/html; charset=utf-8').send(NOT_BUILT_PAGE);
    }
    reply.header('cache-control', INDEX_CACHE_CONTROL);
    return reply.sendFile('index.html', root, { cacheControl: false });
  };

  const serveUi = async (request: FastifyRequest, reply: FastifyReply) => {
    secure(reply);
    const url = request.raw.url ?? UI_PREFIX;
    const query = url.indexOf('?');
    // Still URL-encoded (sendFile decodes it), starting with `/`.
    const encoded = (query === -1 ? url : url.slice(0, query)).slice(UI_PREFIX.length - 1);
    let path: string;
    try {
      path = decodeURIComponent(encoded);
    } catch {
      return notFound(request, reply);
    }
    if (path === '/' || path === '/index.html') return sendIndex(reply);
    // Dot files (.env, .git/…) are never served.
    if (path.split('/').some((segment) => segment.startsWith('.'))) return notFound(request, reply);
    const file = fileOf(path);
    const exists = file !== undefined && (await isFile(file));
    if (!exists) {
      // No such file: a client-side route (no extension) gets the app, a missing asset a 404 (never cached).
      return extname(path.slice(path.lastIndexOf('/') + 1)) === '' ? sendIndex(reply) : notFound(request, reply);
    }
    reply.header('cache-control', path.startsWith('/assets/') ? ASSET_CACHE_CONTROL : INDEX_CACHE_CONTROL);
    return reply.sendFile(encoded, root, { cacheControl: false });
  };

  app.get('/', async (_request, reply) => secure(reply).redirect(UI_PREFIX, 302));
  app.register(
    async (scope) => {
      await scope.register(fastifyStatic, { root, serve: false, dotfiles: 'ignore', index: false });
      // A missing file is a plain 404 here (the app-wide handler would answer 405: GET /ui/* exists).
      scope.setNotFoundHandler(notFound);
      scope.get('/', { prefixTrailingSlash: 'no-slash' }, async (request, reply) => {
        const url = request.raw.url ?? '/ui';
        const query = url.indexOf('?');
        return secure(reply).redirect(UI_PREFIX + (query === -1 ? '' : url.slice(query)), 301);
      });
      scope.get('/*', serveUi);
    },
    { prefix: '/ui' },
  );
}
