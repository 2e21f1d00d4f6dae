/**
 * API reference: the generated OpenAPI document and a Swagger UI page whose scripts and styles are
 * served by the gateway itself (closed provincial networks have no CDN). Also a page per problem type.
 */
import { type OpenAPIHono, z } from '@hono/zod-openapi';
import { DossierInputSchema, DossierSchema, StatusEventInputSchema } from '../../schemas/dossier.js';
import type { AppEnv } from '../http/context.js';
import { ApiError, ERROR_STATUS, ERROR_TITLES, type ErrorCode } from '../http/errors.js';

/** JSON Schemas generated from the canonical zod schemas (never hand-written). */
const JSON_SCHEMAS: Record<string, { schema: z.ZodType; io: 'input' | 'output' }> = {
  'dossier-input': { schema: DossierInputSchema, io: 'input' },
  'status-event-input': { schema: StatusEventInputSchema, io: 'input' },
  dossier: { schema: DossierSchema, io: 'output' },
};

const ASSETS = new Set(['swagger-ui.css', 'swagger-ui-bundle.js', 'favicon-32x32.png']);

const PAGE = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>lienthong API reference</title>
<link rel="icon" href="/docs/assets/favicon-32x32.png">
<link rel="stylesheet" href="/docs/assets/swagger-ui.css">
</head>
<body>
<div id="swagger-ui"></div>
<script src="/docs/assets/swagger-ui-bundle.js"></script>
<script src="/docs/init.js"></script>
</body>
</html>`;

const INIT = `window.ui = SwaggerUIBundle({ url: '/openapi.json', dom_id: '#swagger-ui', deepLinking: true, validatorUrl: null, persistAuthorization: false });`;

const CSP =
  "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; script-src 'self'; connect-src 'self'";

/** Registers `/openapi.json`, `/docs`, `/docs/assets/*`, `/schemas/{name}.json` and `/problems/{code}`. */
export function registerDocs(app: OpenAPIHono<AppEnv>): void {
  app.doc31('/openapi.json', {
    openapi: '3.1.0',
    info: {
      title: 'lienthong',
      version: '0.1.0',
      description:
        "Integration gateway for one-stop public administration centers: intake and deduplication of dossiers pushed by departmental systems, an operators' review queue, durable transfers to the national portal (retries, dead letters, replay), and delivery jobs the postal service pulls (claim with a lease, accept with an S10 tracking number, report tracking events). Every change is written to a hash-chained reconciliation log, verified with the CLI (`log verify`). Every error is RFC 9457 problem+json.",
    },
    servers: [{ url: '/' }],
  });
  app.openAPIRegistry.registerComponent('securitySchemes', 'bearer', {
    type: 'http',
    scheme: 'bearer',
    description: 'API key of a client (`lt_…`), created with `npm run cli -- clients add`',
  });

  app.get('/docs', (c) => c.html(PAGE, 200, { 'Content-Security-Policy': CSP }));
  app.get('/docs/init.js', (c) =>
    c.body(INIT, 200, { 'Content-Type': 'text/javascript; charset=utf-8', 'Cache-Control': 'no-cache' }),
  );
  app.get('/docs/assets/:name', async (c) => {
    const name = c.req.param('name');
    const asset = ASSETS.has(name) ? await c.get('services').docsAssets.get(name) : null;
    if (!asset) throw new ApiError('not_found', `no asset ${name}`);
    return c.body(asset.body as ArrayBuffer, 200, {
      'Content-Type': asset.contentType,
      'Cache-Control': 'public, max-age=86400',
    });
  });
  app.get('/schemas/:file', (c) => {
    const file = c.req.param('file');
    const entry = JSON_SCHEMAS[file.replace(/\.json$/, '')];
    if (!entry || !file.endsWith('.json')) throw new ApiError('not_found', `no schema ${file}`);
    return c.json(z.toJSONSchema(entry.schema, { io: entry.io, unrepresentable: 'any' }));
  });
  app.get('/problems/:code', (c) => {
    const code = c.req.param('code');
    if (!(code in ERROR_STATUS)) throw new ApiError('not_found', `no problem type ${code}`);
    const known = code as ErrorCode;
    return c.json({ type: `/problems/${known}`, title: ERROR_TITLES[known], status: ERROR_STATUS[known] });
  });
}

/** Content types of the bundled assets. */
export function assetContentType(name: string): string {
  if (name.endsWith('.css')) return 'text/css; charset=utf-8';
  if (name.endsWith('.js')) return 'text/javascript; charset=utf-8';
  if (name.endsWith('.png')) return 'image/png';
  return 'application/octet-stream';
}
