/**
 * A simulator of the land-registry office's software (docs/departments.md, Simulator), speaking the
 * land-registry profile on a real loopback socket, for tests and sandbox mode:
 * - `POST /api/v1/ho-so` with the bearer token takes a forwarded dossier and answers its own record id
 *   (`VBD-2026-000123`); the same receipt number again gets the same id, so a retried call is no duplicate;
 * - `POST /api/v1/ho-so/{maHoSoVbd}/tien-do` takes a status step for a record it holds;
 * - `reportProgress` pushes a step of its own to the gateway's REST API as its system, with its key;
 * - `GET /__sim/records` shows what it holds, as JSON.
 * Failure switches (`control`): `down` closes the socket, `fail(status, times?)` answers 5xx, `slow(ms)`
 * delays answers, `badData(on)` answers 200 without a record id.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { landRegistryProfile as profile } from '../../mappings/departments/land-registry.js';
import { dossierFromSystem, eventFromSystem } from '../../mappings/departments/map.js';
import type { ForwardedDossier } from '../../schemas/departments.js';
import type { DossierStatus } from '../../schemas/dossier.js';
import { createLandRegistryFeed, type LandRegistryFeed } from './land-registry.feed.js';
import {
  sendJson as answer,
  type FaultControl,
  recordBook,
  type SimRecord,
  serveSimulator,
  simFaults,
} from './sim-faults.js';

export interface LandRegistrySimulatorOptions {
  host?: string;
  port?: number;
  token: string;
  /** The gateway it reports progress to, and its key there (a department client of its system). */
  gateway?: { url: string; key: string } | undefined;
  /** The number of its first record id (sandbox mode starts past earlier runs' ids). */
  firstRecord?: number;
  /** Called once per new record (sandbox mode moves it by itself). */
  onRecord?: (recordId: string) => void;
}

export type LandRegistryRecord = SimRecord;

export interface LandRegistryControl extends FaultControl {
  down(on: boolean): Promise<void>;
}

export interface LandRegistrySimulator {
  url: string;
  control: LandRegistryControl;
  /** Its change feed for the gateway's poller (`land-registry.feed.ts`). */
  readonly feed: LandRegistryFeed;
  /** Records by its own id, in arrival order. */
  readonly records: Map<string, LandRegistryRecord>;
  /** Requests that reached the handler. */
  readonly calls: number;
  /** Sets (or replaces) the gateway it reports to. */
  connect(gateway: { url: string; key: string }): void;
  /** Reports a step to the gateway as its system; answers the gateway's HTTP status. */
  reportProgress(
    recordId: string,
    step: { status: DossierStatus; at: string; note?: string },
  ): Promise<number>;
  close(): Promise<void>;
}

async function readJson(req: IncomingMessage): Promise<Record<string, string> | undefined> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  try {
    const value: unknown = JSON.parse(Buffer.concat(chunks).toString('utf8'));
    return value !== null && typeof value === 'object' ? (value as Record<string, string>) : undefined;
  } catch {
    return undefined;
  }
}

const EVENT_PATH = /^\/api\/v1\/ho-so\/([A-Z0-9-]+)\/tien-do$/;

export async function startLandRegistrySimulator(
  options: LandRegistrySimulatorOptions,
): Promise<LandRegistrySimulator> {
  const host = options.host ?? '127.0.0.1';
  const { faults, control: faultControl } = simFaults();
  const { records, receive, noteOwnStep } = recordBook('VBD', options.firstRecord ?? 123, options.onRecord);
  let calls = 0;
  let gateway = options.gateway;
  const feed = createLandRegistryFeed();

  const submit = (res: ServerResponse, body: Record<string, string>) => {
    let dossier: ForwardedDossier;
    try {
      dossier = dossierFromSystem(profile, body);
    } catch {
      return answer(res, 400, { thongBao: 'Dữ liệu hồ sơ không hợp lệ' });
    }
    if (faults.badData) return answer(res, 200, { thongBao: 'Đã nhận' });
    const record = receive(dossier);
    // The same receipt number again updates the record's fields (docs/departments.md, Field updates).
    record.dossier = dossier;
    const { recordId } = record;
    return answer(res, 200, { maHoSoVbd: recordId, thongBao: 'Tiếp nhận hồ sơ liên thông thành công' });
  };

  const step = (res: ServerResponse, recordId: string, body: Record<string, string>) => {
    const record = records.get(recordId);
    if (!record) return answer(res, 404, { thongBao: 'Không tìm thấy hồ sơ' });
    try {
      const { event } = eventFromSystem(profile, body);
      record.steps.push(event);
    } catch {
      return answer(res, 400, { thongBao: 'Dữ liệu tiến độ không hợp lệ' });
    }
    return answer(res, 200, { maHoSoVbd: recordId, thongBao: 'Đã cập nhật tiến độ' });
  };

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    if (req.method === 'GET' && req.url === '/__sim/records') return answer(res, 200, [...records.values()]);
    calls += 1;
    const body = await readJson(req);
    if (faults.delayMs > 0) await new Promise((r) => setTimeout(r, faults.delayMs));
    if (req.headers.authorization !== `Bearer ${options.token}`)
      return answer(res, 401, { thongBao: 'Sai khóa' });
    const status = faults.status.take();
    if (status !== undefined) return answer(res, status, { thongBao: 'Lỗi hệ thống (giả lập)' });
    const read = req.method === 'GET' ? feed.answer(req.url ?? '') : undefined;
    if (read) return answer(res, read.status, read.body);
    if (req.method !== 'POST' || !body) return answer(res, 400, { thongBao: 'Yêu cầu không hợp lệ' });
    if (req.url === profile.endpoints.submit) return submit(res, body);
    const m = EVENT_PATH.exec(req.url ?? '');
    if (m?.[1]) return step(res, m[1], body);
    return answer(res, 404, { thongBao: 'Không có đường dẫn này' });
  };

  const server = await serveSimulator(host, options.port ?? 0, () =>
    createServer((req, res) => {
      handle(req, res).catch(() => answer(res, 500, { thongBao: 'Lỗi giả lập' }));
    }),
  );
  const control: LandRegistryControl = { ...faultControl, down: server.down };

  return {
    url: `http://${host}:${server.port}`,
    control,
    feed,
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
      const response = await fetch(`${gw.url}/v1/records/${encodeURIComponent(recordId)}/events`, {
        method: 'POST',
        headers: { authorization: `Bearer ${gw.key}`, 'content-type': 'application/json' },
        body: JSON.stringify(s),
      });
      await response.arrayBuffer();
      return response.status;
    },
    close: server.close,
  };
}
