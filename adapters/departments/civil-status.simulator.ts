/**
 * A simulator of the civil-status software (docs/departments.md, Simulators and sandbox): a real SOAP 1.1
 * server (the `soap` package listening on a Node HTTP server on a loopback socket) serving
 * `schemas/soap/civil-status.wsdl` at `/soap/hotich`, speaking the civil-status profile:
 * - `TiepNhanHoSoLienThong` takes a forwarded dossier and answers its own record id (`HTX-2026-004567`);
 *   the same receipt number again gets the same id, so a retried call is no duplicate;
 * - `CapNhatTrangThai` takes a status step for a record it holds (by `SoHoSoHoTich`);
 * - both need a WS-Security UsernameToken matching its `user:password`;
 * - `reportProgress` reports a step of its own to the gateway's SOAP service (`CapNhatTienDo` at
 *   `/soap/lienthong`, docs/soap.md) with a UsernameToken of its system's client;
 * - `GET /__sim/records` shows what it holds, as JSON.
 * Failure switches (`control`): `down` closes the socket, `fail(status, times?)` answers a bare 5xx,
 * `fault(kind, times?)` a SOAP fault (`Server`, or `Client` for a refusal), `slow(ms)` delays answers,
 * `badData(on)` answers without a record id.
 */
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import * as soap from 'soap';
import { civilStatusProfile as profile } from '../../mappings/departments/civil-status.js';
import { formatDate } from '../../mappings/departments/dates.js';
import { dossierFromSystem, eventFromSystem } from '../../mappings/departments/map.js';
import type { ForwardedDossier } from '../../schemas/departments.js';
import type { DossierStatus } from '../../schemas/dossier.js';
import {
  type FaultControl,
  limitedSwitch,
  recordBook,
  type SimRecord,
  sendJson,
  serveSimulator,
  simFaults,
} from './sim-faults.js';

export const CIVIL_STATUS_PATH = '/soap/hotich';
const WSDL = readFileSync(new URL('../../schemas/soap/civil-status.wsdl', import.meta.url), 'utf8');

/** The gateway it reports to, and its system's client there (id and key, for the UsernameToken). */
export interface SoapGatewayAccess {
  url: string;
  clientId: string;
  key: string;
}

export interface CivilStatusSimulatorOptions {
  host?: string;
  port?: number;
  /** The UsernameToken it accepts, `user:password`: the destination's credentials. */
  credentials: string;
  gateway?: SoapGatewayAccess | undefined;
  /** The number of its first record id (sandbox mode starts past earlier runs' ids). */
  firstRecord?: number;
  /** Called once per new record (sandbox mode moves it by itself). */
  onRecord?: (recordId: string) => void;
}

export type CivilStatusRecord = SimRecord;

export interface CivilStatusControl extends FaultControl {
  down(on: boolean): Promise<void>;
  fault(kind: 'Server' | 'Client', times?: number): void;
}

export interface CivilStatusSimulator {
  /** The service's endpoint: a destination's base URL (its WSDL at `?wsdl`). */
  url: string;
  control: CivilStatusControl;
  readonly records: Map<string, CivilStatusRecord>;
  /** SOAP calls that reached it. */
  readonly calls: number;
  /** Sets (or replaces) the gateway it reports to. */
  connect(gateway: SoapGatewayAccess): void;
  /** Reports a step to the gateway as its system; answers the gateway's `KetQua`, or throws its fault. */
  reportProgress(
    recordId: string,
    step: { status: DossierStatus; at: string; note?: string },
  ): Promise<string>;
  close(): Promise<void>;
}

function soapFault(kind: 'Server' | 'Client', text: string, statusCode = 500) {
  return { Fault: { faultcode: `soap:${kind}`, faultstring: text, statusCode } };
}

/** The string elements of a parsed SOAP body. */
function strings(args: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (args === null || typeof args !== 'object') return out;
  for (const [k, v] of Object.entries(args)) if (typeof v === 'string') out[k] = v;
  return out;
}

function textOf(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (value !== null && typeof value === 'object' && '$value' in value) return String(value.$value);
  return undefined;
}

/** Checks a UsernameToken against `user:password`. */
function checkToken(security: unknown, credentials: string): boolean {
  const token = (security as { UsernameToken?: { Username?: unknown; Password?: unknown } } | undefined)
    ?.UsernameToken;
  const user = textOf(token?.Username);
  const password = textOf(token?.Password);
  return user !== undefined && password !== undefined && `${user}:${password}` === credentials;
}

export async function startCivilStatusSimulator(
  options: CivilStatusSimulatorOptions,
): Promise<CivilStatusSimulator> {
  const host = options.host ?? '127.0.0.1';
  const { faults, control: faultControl } = simFaults();
  const soapFaults = limitedSwitch<'Server' | 'Client'>();
  const { records, receive, noteOwnStep } = recordBook('HTX', options.firstRecord ?? 4567, options.onRecord);
  let calls = 0;
  let gateway = options.gateway;

  const submit = (args: unknown) => {
    const kind = soapFaults.take();
    if (kind) throw soapFault(kind, 'Lỗi hệ thống hộ tịch (giả lập)');
    let dossier: ForwardedDossier;
    try {
      dossier = dossierFromSystem(profile, strings(args));
    } catch {
      throw soapFault('Client', 'Dữ liệu hồ sơ không hợp lệ');
    }
    if (faults.badData) return { KetQua: '1', MoTa: 'Đã nhận' };
    const { recordId } = receive(dossier);
    return { SoHoSoHoTich: recordId, KetQua: '1', MoTa: 'Tiếp nhận hồ sơ liên thông thành công' };
  };

  const step = (args: unknown) => {
    const kind = soapFaults.take();
    if (kind) throw soapFault(kind, 'Lỗi hệ thống hộ tịch (giả lập)');
    const wire = strings(args);
    const record = records.get(wire[profile.recordId.field] ?? '');
    if (!record) throw soapFault('Client', 'Không tìm thấy hồ sơ hộ tịch');
    try {
      record.steps.push(eventFromSystem(profile, wire).event);
    } catch {
      throw soapFault('Client', 'Dữ liệu trạng thái không hợp lệ');
    }
    return { SoHoSoHoTich: record.recordId, KetQua: '1', MoTa: 'Đã cập nhật trạng thái' };
  };

  const services = {
    HoTichLienThongService: {
      HoTichLienThongPort: { TiepNhanHoSoLienThong: submit, CapNhatTrangThai: step },
    },
  };

  const makeServer = async (): Promise<Server> => {
    const s = createServer((req, res) => {
      const path = new URL(req.url ?? '/', 'http://sim.invalid').pathname;
      if (req.method === 'GET' && path === '/__sim/records') return sendJson(res, 200, [...records.values()]);
      sendJson(res, 404, { MoTa: 'Không có đường dẫn này' });
    });
    // The SOAP listener is in place once the WSDL is read: only then are the switches put ahead of it.
    await new Promise<void>((resolve, reject) => {
      const soapServer = soap.listen(s, {
        path: CIVIL_STATUS_PATH,
        services,
        xml: WSDL,
        suppressStack: true,
        callback: (error: unknown) => (error ? reject(error) : resolve()),
      });
      soapServer.authenticate = (security: unknown) => checkToken(security, options.credentials);
    });
    // The failure switches, ahead of the SOAP listener.
    const inner = s.listeners('request') as ((req: IncomingMessage, res: ServerResponse) => void)[];
    s.removeAllListeners('request');
    s.on('request', (req: IncomingMessage, res: ServerResponse) => {
      const onSoap = req.method === 'POST' && (req.url ?? '').startsWith(CIVIL_STATUS_PATH);
      if (onSoap) calls += 1;
      const go = () => {
        const status = onSoap ? faults.status.take() : undefined;
        if (status !== undefined) {
          res.writeHead(status, { 'content-type': 'text/html; charset=utf-8' });
          res.end('<html><body>Service Unavailable (giả lập)</body></html>');
          return;
        }
        for (const listener of inner) listener.call(s, req, res);
      };
      if (onSoap && faults.delayMs > 0) setTimeout(go, faults.delayMs);
      else go();
    });
    return s;
  };
  const server = await serveSimulator(host, options.port ?? 0, makeServer);

  let gatewayClient: { url: string; client: Promise<soap.Client> } | undefined;
  const clientOf = (gw: SoapGatewayAccess): Promise<soap.Client> => {
    if (gatewayClient?.url !== gw.url) {
      const endpoint = `${gw.url}/soap/lienthong`;
      const client = soap.createClientAsync(`${endpoint}?wsdl`, { disableCache: true }).then((c) => {
        c.setEndpoint(endpoint);
        return c;
      });
      gatewayClient = { url: gw.url, client };
      client.catch(() => {
        gatewayClient = undefined;
      });
    }
    return gatewayClient.client;
  };

  const control: CivilStatusControl = {
    ...faultControl,
    down: server.down,
    fault(kind, times) {
      soapFaults.set(kind, times);
    },
    reset() {
      faultControl.reset();
      soapFaults.set(undefined);
    },
  };

  return {
    url: `http://${host}:${server.port}${CIVIL_STATUS_PATH}`,
    control,
    records,
    get calls() {
      return calls;
    },
    connect(gw) {
      gateway = gw;
    },
    async reportProgress(recordId, s) {
      const gw = gateway;
      if (!gw) throw new Error('no gateway to report to');
      noteOwnStep(recordId, s);
      const client = await clientOf(gw);
      // A UsernameToken per call: the client is shared, the key may be replaced by `connect`.
      client.setSecurity(new soap.WSSecurity(gw.clientId, gw.key, { hasTimeStamp: false }));
      const [answer] = await client.CapNhatTienDoAsync({
        MaHoSoNguon: recordId,
        // Its own status code and date format: the gateway reads them through its profile (docs/soap.md).
        TrangThai: profile.codes.statuses[s.status] ?? s.status,
        ThoiDiem: formatDate(profile.dateFormat, s.at),
        ...(s.note ? { NoiDung: s.note } : {}),
      });
      return String((answer as { KetQua?: unknown } | null)?.KetQua ?? '');
    },
    close: server.close,
  };
}
