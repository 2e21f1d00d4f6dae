/**
 * A simulator of the SMS provider (docs/sms.md, Provider) on a real loopback socket, for tests and
 * sandbox mode. `POST /messages` with the bearer token and a valid body answers 202 `{id}` and keeps
 * the message; misbehaviour is switched in-process through `control`:
 * - `refuseConnections(true)` closes the listening socket (and open connections); `false` listens
 *   again on the same port;
 * - `fail(status, times?)` answers `status` (5xx or 429, with `Retry-After` when given) to the next
 *   `times` calls, or to every call;
 * - `slow(ms)` delays every answer;
 * - `refuseNumber(to)` answers 400 to messages for that number.
 * `received` lists every accepted message; `calls` counts every request that reached the handler.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { type SmsProviderRequest, SmsProviderRequestSchema } from '../../schemas/sms.js';

export interface SmsSimulatorOptions {
  host?: string;
  port?: number;
  token: string;
}

export interface SmsSimulatorControl {
  refuseConnections(on: boolean): Promise<void>;
  fail(status: number, times?: number, retryAfterSeconds?: number): void;
  slow(ms: number): void;
  refuseNumber(to: string): void;
  reset(): void;
}

export interface SmsSimulator {
  url: string;
  control: SmsSimulatorControl;
  /** Accepted messages, in arrival order, with the id answered. */
  readonly received: (SmsProviderRequest & { id: string })[];
  /** Requests that reached the handler, accepted or not. */
  readonly calls: number;
  close(): Promise<void>;
}

interface Faults {
  status?: number | undefined;
  times?: number | undefined;
  retryAfter?: number | undefined;
  delayMs: number;
  refused: Set<string>;
}

function answer(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
}

async function readBody(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch {
    return undefined;
  }
}

/** An injected failure for this call, counting it down; undefined when none applies. */
function injected(f: Faults): { status: number; retryAfter?: number | undefined } | undefined {
  if (f.status === undefined) return undefined;
  if (f.times !== undefined) {
    if (f.times <= 0) return undefined;
    f.times -= 1;
  }
  return { status: f.status, retryAfter: f.retryAfter };
}

export async function startSmsSimulator(options: SmsSimulatorOptions): Promise<SmsSimulator> {
  const host = options.host ?? '127.0.0.1';
  const faults: Faults = { delayMs: 0, refused: new Set() };
  const received: (SmsProviderRequest & { id: string })[] = [];
  let calls = 0;
  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    // What it received so far, for a newcomer in sandbox mode (not counted as a call).
    if (req.method === 'GET' && req.url === '/__sim/messages')
      return answer(res, 200, { messages: received });
    calls += 1;
    const body = await readBody(req);
    if (faults.delayMs > 0) await new Promise((r) => setTimeout(r, faults.delayMs));
    if (req.method !== 'POST' || req.url !== '/messages') return answer(res, 404, { error: 'not found' });
    if (req.headers.authorization !== `Bearer ${options.token}`)
      return answer(res, 401, { error: 'bad token' });
    const fault = injected(faults);
    if (fault) {
      const headers: Record<string, string> =
        fault.retryAfter === undefined ? {} : { 'retry-after': String(fault.retryAfter) };
      return answer(res, fault.status, { error: 'simulated failure' }, headers);
    }
    const parsed = SmsProviderRequestSchema.safeParse(body);
    if (!parsed.success) return answer(res, 400, { error: 'invalid message' });
    // As some providers do, the refusal quotes the number: the gateway must mask it before storing it.
    if (faults.refused.has(parsed.data.to))
      return answer(res, 400, { error: `number refused: ${parsed.data.to}` });
    const id = `sim-${received.length + 1}`;
    received.push({ ...parsed.data, id });
    return answer(res, 202, { id });
  };
  const sockets = new Set<Socket>();
  let server: Server = await listen(host, options.port ?? 0);
  const port = (server.address() as AddressInfo).port;

  function listen(h: string, p: number): Promise<Server> {
    const s = createServer((req, res) => {
      handle(req, res).catch(() => answer(res, 500, { error: 'simulator failed' }));
    });
    s.on('connection', (socket) => {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
    });
    return new Promise((resolve, reject) => {
      s.once('error', reject);
      s.listen(p, h, () => resolve(s));
    });
  }
  const closeServer = () =>
    new Promise<void>((resolve) => {
      if (!server.listening) return resolve();
      server.close(() => resolve());
      for (const socket of sockets) socket.destroy();
    });

  const control: SmsSimulatorControl = {
    async refuseConnections(on) {
      if (on) await closeServer();
      else if (!server.listening) server = await listen(host, port);
    },
    fail(status, times, retryAfterSeconds) {
      Object.assign(faults, { status, times, retryAfter: retryAfterSeconds });
    },
    slow(ms) {
      faults.delayMs = ms;
    },
    refuseNumber(to) {
      faults.refused.add(to);
    },
    reset() {
      Object.assign(faults, { status: undefined, times: undefined, retryAfter: undefined, delayMs: 0 });
      faults.refused.clear();
    },
  };
  return {
    url: `http://${host}:${port}`,
    control,
    received,
    get calls() {
      return calls;
    },
    close: closeServer,
  };
}
