/**
 * The Hono app factory. It receives its configuration and services and reads nothing from the
 * environment, so the same app runs under Node, on Workers and in tests side by side.
 */
import { OpenAPIHono } from '@hono/zod-openapi';
import { bodyLimit } from 'hono/body-limit';
import { secureHeaders } from 'hono/secure-headers';
import { clientRoutes } from './clients/client.routes.js';
import { dashboardRoutes } from './dashboard/dashboard.routes.js';
import { deadlineRoutes } from './deadlines/deadlines.routes.js';
import { reviewRoutes } from './dedup/review.routes.js';
import { destinationRoutes } from './departments/destination.routes.js';
import type { AppEnv, Services } from './http/context.js';
import { ApiError } from './http/errors.js';
import { idempotency } from './http/idempotency.js';
import { accessLog, authenticate, requestId, requireRole } from './http/middleware.js';
import { onError, problemResponse, validationHook } from './http/problem.js';
import { agencyRoutes } from './intake/agency.routes.js';
import {
  getDossierHandler,
  getEventsHandler,
  listDossiersHandler,
  postEventByIdHandler,
  postEventByRecordHandler,
  pushDossierHandler,
} from './intake/dossier.handlers.js';
import {
  getDossier,
  getEvents,
  listDossiersRoute,
  postEventById,
  postEventByRecord,
  pushDossier,
} from './intake/dossier.routes.js';
import { registerDocs } from './ops/docs.routes.js';
import { healthz } from './ops/health.js';
import { metricsHandler, timeRequests } from './ops/metrics.routes.js';
import { postalRoutes } from './postal/postal.routes.js';
import { reconciliationRoutes } from './reconciliation/reconciliation.routes.js';
import { reportRoutes } from './reports/reports.routes.js';
import { smsRoutes } from './sms/sms.routes.js';
import { transferRoutes } from './transfers/transfers.routes.js';

export type App = OpenAPIHono<AppEnv>;

/** Builds the gateway's HTTP app around the given services. */
export function createApp(services: Services): App {
  const app = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });

  app.use('*', async (c, next) => {
    c.set('services', services);
    await next();
  });
  app.use('*', requestId());
  app.use('*', timeRequests());
  app.use('*', accessLog());
  app.use('*', secureHeaders({ contentSecurityPolicy: undefined, crossOriginResourcePolicy: 'same-origin' }));

  app.use(
    '/v1/*',
    bodyLimit({
      maxSize: services.config.bodyLimitBytes,
      onError: () => {
        throw new ApiError(
          'payload_too_large',
          `the body is over the ${services.config.bodyLimitBytes}-byte limit`,
        );
      },
    }),
  );
  app.use('/v1/*', authenticate());
  app.use('/v1/*', idempotency());

  app.use('/v1/dossiers', requireRole('department', 'operator'));
  app.use('/v1/dossiers/*', requireRole('department', 'operator'));
  app.use('/v1/records/*', requireRole('department'));
  app.on('POST', ['/v1/dossiers', '/v1/dossiers/*'], requireRole('department'));
  app.use('/v1/ops/*', requireRole('operator'));
  app.use('/v1/clients', requireRole('admin'));
  app.use('/v1/clients/*', requireRole('admin'));
  app.use('/v1/admin/*', requireRole('admin'));
  app.use('/v1/postal/*', requireRole('postal'));

  app.openapi(pushDossier, pushDossierHandler);
  app.openapi(postEventById, postEventByIdHandler);
  app.openapi(postEventByRecord, postEventByRecordHandler);
  app.openapi(getDossier, getDossierHandler);
  app.openapi(getEvents, getEventsHandler);
  app.openapi(listDossiersRoute, listDossiersHandler);
  app.route('/', clientRoutes());
  app.route('/', reviewRoutes());
  app.route('/', agencyRoutes());
  app.route('/', transferRoutes());
  app.route('/', smsRoutes());
  app.route('/', postalRoutes());
  app.route('/', destinationRoutes());
  app.route('/', deadlineRoutes());
  app.route('/', reportRoutes());
  app.route('/', reconciliationRoutes());

  // On Node the SOAP listener answers /soap/* before Hono; only a runtime without it gets here (docs/soap.md).
  app.all('/soap/*', () => {
    throw new ApiError('not_implemented', 'SOAP needs the Node runtime: use the REST API (/v1) here');
  });
  app.get('/healthz', healthz);
  app.get('/metrics', metricsHandler);
  // The operators' dashboard: HTML pages with a session cookie, not part of the API (docs/dashboard.md).
  app.route('/', dashboardRoutes());
  registerDocs(app);

  app.notFound((c) =>
    problemResponse(
      c,
      new ApiError('route_not_found', `no route ${c.req.method} ${c.req.path}`),
      c.get('requestId') ?? crypto.randomUUID(),
    ),
  );
  app.onError(onError);
  return app;
}
