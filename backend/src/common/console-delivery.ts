import { createReadStream, statSync } from 'node:fs';
import { extname, join, normalize, sep } from 'node:path';
import type { NextFunction, Request, Response } from 'express';

/** Content types of the files a console build has. */
const CONTENT_TYPES: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.html': 'text/html; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
};

/** Vite names every built asset by its content (`index-BwQ2x9aK.js`): such a file never changes under its name. */
export const IMMUTABLE_CACHE = 'public, max-age=31536000, immutable';
/** index.html (and other unhashed files) are revalidated on every load, so a new release is picked up at once. */
export const REVALIDATE_CACHE = 'no-cache';

/** br before gzip: the client's Accept-Encoding, as far as a pre-compressed file exists. */
function preferredEncoding(acceptEncoding: string | undefined): ('br' | 'gzip')[] {
  const accepted = (acceptEncoding ?? '')
    .split(',')
    .map((part) => part.trim().split(';'))
    .filter(([, q]) => !q || Number(q.split('=')[1] ?? '1') > 0)
    .map(([name]) => name.toLowerCase());
  return (['br', 'gzip'] as const).filter((encoding) => accepted.includes(encoding) || accepted.includes('*'));
}

function fileSize(path: string): number | null {
  try {
    const stat = statSync(path);
    return stat.isFile() ? stat.size : null;
  } catch {
    return null;
  }
}

/**
 * Serves the console's hashed assets (`/assets/…`) with a one-year immutable cache, as the `.br` or `.gz` file the
 * build wrote beside each one (frontend/build/precompress.ts) when the browser accepts it. Everything else (index.html,
 * the SPA's routes) goes on to the static module, which marks it `no-cache` (see {@link consoleStaticHeaders}).
 */
export function consoleAssets(directory: string) {
  const assets = join(directory, 'assets');
  return (request: Request, response: Response, next: NextFunction): void => {
    if ((request.method !== 'GET' && request.method !== 'HEAD') || !request.path.startsWith('/assets/')) return next();
    const path = normalize(join(directory, decodeURIComponent(request.path)));
    if (!path.startsWith(assets + sep)) return next();
    const size = fileSize(path);
    if (size === null) return next();
    response.setHeader('Cache-Control', IMMUTABLE_CACHE);
    response.setHeader('Content-Type', CONTENT_TYPES[extname(path)] ?? 'application/octet-stream');
    response.setHeader('Vary', 'Accept-Encoding');
    let served = path;
    let length = size;
    for (const encoding of preferredEncoding(request.headers['accept-encoding'])) {
      const compressed = fileSize(`${path}.${encoding === 'br' ? 'br' : 'gz'}`);
      if (compressed !== null) {
        served = `${path}.${encoding === 'br' ? 'br' : 'gz'}`;
        length = compressed;
        response.setHeader('Content-Encoding', encoding);
        break;
      }
    }
    response.setHeader('Content-Length', String(length));
    if (request.method === 'HEAD') {
      response.end();
      return;
    }
    createReadStream(served).on('error', next).pipe(response);
  };
}

/** The static module's headers: nothing it serves is content-hashed, so every response is revalidated. */
export function consoleStaticHeaders(response: Response): void {
  response.setHeader('Cache-Control', REVALIDATE_CACHE);
}
