/**
 * The gateway on a real loopback socket and a forwarding worker to departmental software, as the
 * forwarding tests and sandbox mode need them (docs/departments.md, Forwarding).
 */
import { Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { expect } from 'vitest';
import { createDepartmentTransports } from '../../adapters/departments/dispatcher.js';
import type { DepartmentPort } from '../../src/departments/department.port.js';
import { ForwardWorker } from '../../src/departments/forward-worker.js';
import { openingCredentials, type SecretBox } from '../../src/departments/secret-box.js';
import { attachSoap } from '../../src/soap/soap.server.js';
import { FAST, type Harness } from './delivery.js';
import type { TestGateway } from './gateway.js';

export interface ServedGateway {
  server: HttpServer;
  /** `http://127.0.0.1:<port>`. */
  url: string;
  close(): Promise<void>;
}

/** Serves the gateway on 127.0.0.1 (any port), with its SOAP service when `soap` is set. */
export async function serveGateway(
  gw: TestGateway,
  options: { soap?: boolean } = {},
): Promise<ServedGateway> {
  const server = serve({ fetch: gw.app.fetch, hostname: '127.0.0.1', port: 0 });
  if (!(server instanceof HttpServer)) throw new Error('expected an HTTP/1.1 server');
  if (options.soap) attachSoap(server, gw.services);
  await new Promise<void>((resolve) => (server.listening ? resolve() : server.once('listening', resolve)));
  return {
    server,
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    async close() {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

/** A department client of `system` for `agencies`: its id and key. */
export function addDepartmentClient(
  gw: TestGateway,
  client: { name: string; system: string; agencies: string[] },
): Promise<{ id: string; key: string }> {
  return gw.services.clients.add({ ...client, role: 'department' });
}

/** Registers a destination as the admin does (`POST /v1/admin/destinations`); it must be accepted. */
export async function registerDestination(
  gw: TestGateway,
  destination: { system: string; profile: string; baseUrl: string; credentials: string; agencies: string[] },
): Promise<void> {
  const res = await gw.request('POST', '/v1/admin/destinations', { key: gw.keys.admin, body: destination });
  expect(res.status).toBe(201);
}

/**
 * A forwarding worker (no timer: tests tick it). Credentials are stored sealed: opened just before the
 * call, as `startDelivery` wires it. `department` defaults to both transports (REST and SOAP).
 */
export function forwardWorker(
  gw: TestGateway,
  options: { department?: DepartmentPort; owner?: string } = {},
): ForwardWorker {
  return new ForwardWorker({
    store: gw.services.store,
    clock: gw.services.clock,
    logger: gw.services.logger,
    department: openingCredentials(
      options.department ?? createDepartmentTransports({ timeoutMs: 2_000 }),
      gw.services.destinationSecrets as SecretBox,
    ),
    config: FAST,
    owner: options.owner ?? 'test-forwarder',
  });
}

/** A JSON call to the served gateway with a client's key: its status and parsed body. */
export async function callGateway(url: string, method: string, path: string, key: string, body?: unknown) {
  const res = await fetch(`${url}${path}`, {
    method,
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await res.text();
  return { status: res.status, body: (text ? JSON.parse(text) : {}) as Record<string, any> };
}

/** Rounds of the delivery and the forwarding worker until nothing is left to send (bounded by `ms`). */
export async function drainBoth(h: Harness, forwarder: ForwardWorker, ms = 10_000): Promise<void> {
  const open = () => h.transfers().filter((t) => t.state === 'pending' || t.state === 'in_flight').length;
  const until = Date.now() + ms;
  while (open() > 0 && Date.now() < until) {
    const n = (await h.worker.tick()) + (await forwarder.tick());
    if (n === 0) await new Promise((r) => setTimeout(r, 5));
  }
  expect(open()).toBe(0);
}
