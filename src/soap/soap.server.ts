/**
 * Serves LienThongService on the Node server (docs/soap.md). Requests under `/soap/` are taken before
 * Hono sees them; everything else goes on to Hono. The body is read here with the REST body limit, must
 * be UTF-8, and is refused when it declares a DTD or an entity — before any XML parser sees it. Only then
 * does the `soap` package parse it (`processRequest`); an answer it gives without one of our operations
 * running (not an envelope, an unknown operation) becomes a client fault. Node only: it imports `soap`.
 */
import { readFileSync } from 'node:fs';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import * as soap from 'soap';
import type { Services } from '../http/context.js';
import { ApiError } from '../http/errors.js';
import { pickRequestId, REQUEST_ID_HEADER } from '../http/middleware.js';
import { faultEnvelope } from './soap.fault.js';
import { authenticateHook, lienThongService, type Requests, type SoapRequest } from './soap.service.js';

export const SOAP_PATH = '/soap/lienthong';
const WSDL_TEXT = readFileSync(new URL('../../schemas/soap/lienthong.wsdl', import.meta.url), 'utf8');
const WSDL_LOCATION = /(<soap:address location=")[^"]*(")/;
/** A Host header fit to be written into the WSDL's address; anything else gets the configured one. */
const SAFE_HOST = /^(?:[A-Za-z0-9.-]{1,253}|\[[0-9A-Fa-f:.]{2,45}\])(?::\d{1,5})?$/;
/** A DTD or entity declaration, however cased: refused before parsing (no XXE, no entity expansion). */
const DTD = /<!(?:DOCTYPE|ENTITY)/i;
const XML_TYPE = 'text/xml; charset=utf-8';
/** What the SOAP listener takes: `/soap` and everything under it. */
const UNDER_SOAP = /^\/soap(?:[/?#]|$)/;

function send(res: ServerResponse, status: number, body: string, requestId: string, type = XML_TYPE) {
  res.writeHead(status, { 'Content-Type': type, [REQUEST_ID_HEADER]: requestId });
  res.end(body);
}

function sendFault(res: ServerResponse, error: unknown, requestId: string) {
  const { status, xml } = faultEnvelope(error, requestId);
  send(res, status, xml, requestId);
}

/** The WSDL with its address pointing where it was fetched from. */
function wsdlFor(req: IncomingMessage, services: Services): string {
  const host = req.headers.host;
  const authority = host && SAFE_HOST.test(host) ? host : `${services.config.host}:${services.config.port}`;
  return WSDL_TEXT.replace(WSDL_LOCATION, `$1http://${authority}${SOAP_PATH}$2`);
}

/** The body as text, or an error: over the limit, compressed, or not UTF-8. */
async function readBody(req: IncomingMessage, limit: number): Promise<string> {
  if (req.headers['content-encoding'] && req.headers['content-encoding'] !== 'identity') {
    throw new ApiError('unsupported_media_type', 'a SOAP body must not be compressed');
  }
  const tooLarge = () => new ApiError('payload_too_large', `the body is over the ${limit}-byte limit`);
  if (Number(req.headers['content-length'] ?? 0) > limit) throw tooLarge();
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limit) throw tooLarge();
    chunks.push(chunk as Buffer);
  }
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(Buffer.concat(chunks));
  } catch {
    throw new ApiError('bad_request', 'a SOAP body must be UTF-8');
  }
}

type SoapServer = ReturnType<typeof soap.listen>;

interface Ctx {
  services: Services;
  soapServer: SoapServer;
  requests: Requests;
  requestId: string;
  /** The request as the operations see it, once the body was accepted (for the access log). */
  request?: SoapRequest;
}

async function answerPost(req: IncomingMessage, res: ServerResponse, ctx: Ctx): Promise<void> {
  const { services, soapServer, requests, requestId } = ctx;
  const xml = await readBody(req, services.config.bodyLimitBytes);
  if (DTD.test(xml)) throw new ApiError('bad_request', 'a DTD or an entity declaration is not accepted');
  const headers = { ...req.headers };
  const request: SoapRequest = { requestId, authorization: req.headers.authorization, answered: false };
  requests.set(headers, request);
  ctx.request = request;
  const answer = await soapServer.processRequest(xml, { method: 'POST', url: SOAP_PATH, headers });
  if (!request.answered) {
    throw new ApiError(
      'bad_request',
      'the body is not a SOAP 1.1 envelope calling an operation of this service',
    );
  }
  send(res, answer.statusCode, answer.body, requestId);
}

/** Answers one request under `/soap/`. */
async function answer(req: IncomingMessage, res: ServerResponse, ctx: Ctx): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://soap.invalid');
  if (url.pathname !== SOAP_PATH) throw new ApiError('route_not_found', `no SOAP service at ${url.pathname}`);
  if (req.method === 'GET' && url.search.toLowerCase() === '?wsdl') {
    send(res, 200, wsdlFor(req, ctx.services), ctx.requestId);
    return;
  }
  if (req.method !== 'POST') {
    throw new ApiError('method_not_allowed', `POST a SOAP envelope, or GET ${SOAP_PATH}?wsdl`);
  }
  await answerPost(req, res, ctx);
}

/** Puts LienThongService in front of the server's other request listeners (Hono's). */
export function attachSoap(server: Server, services: Services): void {
  const requests: Requests = new WeakMap();
  const soapServer = soap.listen(null, {
    path: SOAP_PATH,
    services: lienThongService(services, requests),
    xml: WSDL_TEXT,
    suppressStack: true,
  });
  soapServer.authenticate = authenticateHook(services, requests);
  const others = server.listeners('request') as ((req: IncomingMessage, res: ServerResponse) => void)[];
  server.removeAllListeners('request');
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    if (!UNDER_SOAP.test(req.url ?? '')) {
      for (const listener of others) listener.call(server, req, res);
      return;
    }
    const requestId = pickRequestId(req.headers[REQUEST_ID_HEADER.toLowerCase()] as string | undefined);
    const started = performance.now();
    const ctx: Ctx = { services, soapServer, requests, requestId };
    answer(req, res, ctx)
      .catch((error: unknown) => {
        if (!(error instanceof ApiError)) services.logger.error('soap request failed', { error });
        // Whatever was not read of a refused body is not waited for: the connection closes after this.
        if (!req.readableEnded) res.setHeader('Connection', 'close');
        sendFault(res, error, requestId);
      })
      .finally(() => {
        const client = ctx.request?.client;
        const line = {
          requestId,
          client: client ? { id: client.id, name: client.name, role: client.role } : null,
          method: req.method,
          route: SOAP_PATH,
          status: res.statusCode,
          durationMs: Math.round((performance.now() - started) * 100) / 100,
        };
        if (res.statusCode >= 500) services.logger.error('request', line);
        else services.logger.info('request', line);
      });
  });
}
