/**
 * SOAP intake against REST intake, same run (issue #14, docs/benchmarks.md): one gateway process (the real
 * server, `src/runtime/node/main.ts`, with LienThongService attached) on a fresh SQLite file, the same
 * dossiers pushed by autocannon over 127.0.0.1 as `POST /v1/dossiers` (JSON, Bearer) and as
 * `TiepNhanHoSo` envelopes (docs/soap.md, WS-Security UsernameToken), alternating REST and SOAP rounds so
 * both see the same machine load and a store of the same size. Each round is bounded in time and count.
 * Every push is a new applicant (no dual entries): the figure is the cost of the SOAP layer, not of dedup.
 */
import autocannon from 'autocannon';
import { parseConfig } from '../../schemas/config.js';
import { ClientService } from '../../src/clients/client.service.js';
import { systemClock } from '../../src/lib/time.js';
import { openSqliteStore } from '../../src/store/sqlite.js';
import { migrateToLatest } from '../../src/store/store.js';
import { removeTempDb, tempDbPath } from '../../tests/helpers/gateway.js';
import { BENCH_AGENCIES, benchPerson, rng } from './fill.js';
import { cpuUsOf, startNode } from './processes.js';

const ROOT = new URL('../..', import.meta.url).pathname;
const NS = 'urn:lienthong:soap:v1';
const WSSE = 'http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd';
const PASSWORD_TEXT =
  'http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-username-token-profile-1.0#PasswordText';

/** One dossier, in the fields both transports carry (docs/soap.md, TiepNhanHoSo). */
interface Sample {
  recordId: string;
  agency: string;
  fullName: string;
  idNumber: string;
  phone: string;
  receivedMs: number;
}

function sampleFactory(prefix: string, seed: number): () => Sample {
  const r = rng(seed);
  let n = 0;
  return () => {
    n += 1;
    const person = benchPerson(r);
    return {
      recordId: `${prefix}-${process.pid}-${n}`,
      agency: BENCH_AGENCIES[n % BENCH_AGENCIES.length] as string,
      fullName: person.fullName,
      // Province 079 with a per-transport digit: new applicants, never a dual entry of the other round.
      idNumber: `079${prefix === 'SOAP' ? 1 : 0}${80 + (n % 20)}${String(n % 1_000_000).padStart(6, '0')}`,
      phone: person.phone,
      receivedMs: Date.parse('2026-11-02T08:00:00+07:00') + n * 1000,
    };
  };
}

const TWO = (n: number) => String(n).padStart(2, '0');

/** `yyyyMMddHHmmss` in Vietnam time, as SOAP callers write dates. */
function portalDate(ms: number): string {
  const d = new Date(ms + 7 * 3_600_000);
  return `${d.getUTCFullYear()}${TWO(d.getUTCMonth() + 1)}${TWO(d.getUTCDate())}${TWO(d.getUTCHours())}${TWO(d.getUTCMinutes())}${TWO(d.getUTCSeconds())}`;
}

const DUE_MS = 14 * 86_400_000;

export function restBody(s: Sample): string {
  return JSON.stringify({
    source: { recordId: s.recordId },
    procedure: { code: '1.004227', name: 'Cấp giấy phép xây dựng nhà ở riêng lẻ' },
    agency: { code: s.agency, name: 'Sở Xây dựng tỉnh Bắc Ninh' },
    applicant: {
      type: 'citizen',
      fullName: s.fullName,
      idNumber: s.idNumber,
      phone: s.phone,
      address: { line: 'Số 12 đường Lý Thái Tổ', communeCode: '09187', provinceCode: '24' },
    },
    summary: 'Xin cấp phép xây dựng nhà ở 3 tầng',
    channel: 'counter',
    receivedAt: new Date(s.receivedMs).toISOString(),
    dueAt: new Date(s.receivedMs + DUE_MS).toISOString(),
    status: 'received',
    resultReturn: { method: 'counter' },
    documents: [{ name: 'Đơn đề nghị', componentCode: 'TP1', digitized: true }],
    fees: [{ code: 'LPXD', name: 'Lệ phí', amount: 75000 }],
  });
}

/** The same dossier as a `TiepNhanHoSo` envelope with a WS-Security UsernameToken. */
export function soapBody(s: Sample, clientId: string, key: string): string {
  return (
    '<?xml version="1.0" encoding="utf-8"?>' +
    `<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/" xmlns:lt="${NS}">` +
    `<soap:Header><wsse:Security xmlns:wsse="${WSSE}"><wsse:UsernameToken>` +
    `<wsse:Username>${clientId}</wsse:Username><wsse:Password Type="${PASSWORD_TEXT}">${key}</wsse:Password>` +
    '</wsse:UsernameToken></wsse:Security></soap:Header><soap:Body><lt:TiepNhanHoSo>' +
    `<lt:MaHoSoNguon>${s.recordId}</lt:MaHoSoNguon>` +
    '<lt:MaThuTuc>1.004227</lt:MaThuTuc><lt:TenThuTuc>Cấp giấy phép xây dựng nhà ở riêng lẻ</lt:TenThuTuc>' +
    `<lt:MaDonVi>${s.agency}</lt:MaDonVi><lt:TenDonVi>Sở Xây dựng tỉnh Bắc Ninh</lt:TenDonVi>` +
    `<lt:ChuHoSo><lt:LoaiDoiTuong>1</lt:LoaiDoiTuong><lt:HoTen>${s.fullName}</lt:HoTen>` +
    `<lt:SoGiayTo>${s.idNumber}</lt:SoGiayTo><lt:SoDienThoai>${s.phone}</lt:SoDienThoai>` +
    '<lt:DiaChi><lt:DiaChiChiTiet>Số 12 đường Lý Thái Tổ</lt:DiaChiChiTiet><lt:MaXa>09187</lt:MaXa>' +
    '<lt:MaTinh>24</lt:MaTinh></lt:DiaChi></lt:ChuHoSo>' +
    '<lt:TrichYeu>Xin cấp phép xây dựng nhà ở 3 tầng</lt:TrichYeu><lt:KenhNop>1</lt:KenhNop>' +
    `<lt:NgayTiepNhan>${portalDate(s.receivedMs)}</lt:NgayTiepNhan>` +
    `<lt:NgayHenTra>${portalDate(s.receivedMs + DUE_MS)}</lt:NgayHenTra>` +
    '<lt:TrangThai>2</lt:TrangThai><lt:HinhThucTraKetQua>0</lt:HinhThucTraKetQua>' +
    '<lt:ThanhPhanHoSo><lt:GiayTo><lt:TenGiayTo>Đơn đề nghị</lt:TenGiayTo><lt:MaThanhPhan>TP1</lt:MaThanhPhan>' +
    '<lt:DaSoHoa>true</lt:DaSoHoa></lt:GiayTo></lt:ThanhPhanHoSo>' +
    '<lt:LePhi><lt:KhoanPhi><lt:MaPhi>LPXD</lt:MaPhi><lt:TenPhi>Lệ phí</lt:TenPhi><lt:SoTien>75000</lt:SoTien>' +
    '</lt:KhoanPhi></lt:LePhi></lt:TiepNhanHoSo></soap:Body></soap:Envelope>'
  );
}

interface Round {
  /** The gateway process's CPU time (user + system) per answered push, in µs: steadier than requests/s on a busy machine. */
  cpuUsPerPush?: number;
  rps: number;
  p50: number;
  p99: number;
  ok: number;
  non2xx: number;
  errors: number;
}

function load(opts: autocannon.Options): Promise<Round> {
  return new Promise((resolve, reject) => {
    autocannon(opts, (err, r) =>
      err
        ? reject(err)
        : resolve({
            rps: r.requests.average,
            p50: r.latency.p50,
            p99: r.latency.p99,
            ok: r['2xx'],
            non2xx: r.non2xx,
            errors: r.errors + r.timeouts,
          }),
    );
  });
}

type Call = () => { method: 'POST'; headers: Record<string, string>; body: string };

/** Checks that both transports accept the pushes, then warms both paths up (JIT, caches), unmeasured. */
async function warmUp(url: string, rest: Call, soap: Call): Promise<void> {
  for (const [path, call] of [
    ['/v1/dossiers', rest],
    ['/soap/lienthong', soap],
  ] as const) {
    for (let i = 0; i < 300; i++) {
      const res = await fetch(`${url}${path}`, { ...call(), signal: AbortSignal.timeout(10_000) });
      const text = await res.text();
      if (res.status >= 300) throw new Error(`${path} answered ${res.status}: ${text.slice(0, 600)}`);
    }
  }
}

/** One load round, with the gateway's CPU time per answered push. */
async function measured(pid: number | undefined, opts: autocannon.Options): Promise<Round> {
  const before = cpuUsOf(pid);
  const round = await load(opts);
  const after = cpuUsOf(pid);
  const answered = round.ok + round.non2xx;
  if (before === undefined || after === undefined || answered === 0) return round;
  return { ...round, cpuUsPerPush: Math.round((after - before) / answered) };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;

/** `rounds` REST rounds and as many SOAP rounds, alternating, each at most `seconds` and `amount` pushes. */
export async function benchSoap(o: { rounds: number; seconds: number; amount: number; connections: number }) {
  const dbPath = tempDbPath();
  const store = openSqliteStore(dbPath, { groupCommit: false });
  await migrateToLatest(store.db);
  const clients = new ClientService(store.db, systemClock);
  const client = await clients.add({
    name: 'bench legacy software',
    role: 'department',
    system: 'motcua',
    agencies: BENCH_AGENCIES,
  });
  await store.close();
  parseConfig({ DB_PATH: dbPath });
  const gateway = await startNode(
    'src/runtime/node/main.ts',
    { DB_PATH: dbPath, PORT: '0', LOG_LEVEL: 'info', SANDBOX_DEMO_CLIENTS: 'false', WORKER_ENABLED: 'false' },
    ROOT,
  );
  const nextRest = sampleFactory('REST', 21);
  const nextSoap = sampleFactory('SOAP', 21);
  const restRequest = () => ({
    method: 'POST' as const,
    headers: { 'content-type': 'application/json', authorization: `Bearer ${client.key}` },
    body: restBody(nextRest()),
  });
  const soapRequest = () => ({
    method: 'POST' as const,
    headers: { 'content-type': 'text/xml; charset=utf-8', soapaction: `"${NS}/TiepNhanHoSo"` },
    body: soapBody(nextSoap(), client.id, client.key),
  });
  await warmUp(gateway.url, restRequest, soapRequest);
  const base = { connections: o.connections, duration: o.seconds, maxOverallRequests: o.amount };
  const rest: Round[] = [];
  const soap: Round[] = [];
  try {
    for (let i = 0; i < o.rounds; i++) {
      rest.push(
        await measured(gateway.child.pid, {
          ...base,
          url: `${gateway.url}/v1/dossiers`,
          requests: [
            {
              method: 'POST',
              path: '/v1/dossiers',
              setupRequest: (req) => ({ ...req, ...restRequest() }),
            },
          ],
        }),
      );
      soap.push(
        await measured(gateway.child.pid, {
          ...base,
          url: `${gateway.url}/soap/lienthong`,
          requests: [
            {
              method: 'POST',
              path: '/soap/lienthong',
              setupRequest: (req) => ({ ...req, ...soapRequest() }),
            },
          ],
        }),
      );
    }
  } finally {
    await gateway.stop();
  }
  const check = openSqliteStore(dbPath, { groupCommit: false });
  const bySystem = check.sqlite
    .prepare('SELECT substr(record_id, 1, 4) AS kind, count(*) AS n FROM dossier_sources GROUP BY kind')
    .all() as { kind: string; n: number }[];
  await check.close();
  removeTempDb(dbPath);
  const stored = (kind: string) => bySystem.find((r) => r.kind === kind)?.n ?? 0;
  const restRps = median(rest.map((r) => r.rps));
  const soapRps = median(soap.map((r) => r.rps));
  return {
    rounds: o.rounds,
    seconds: o.seconds,
    amount: o.amount,
    connections: o.connections,
    rest: {
      rps: restRps,
      p50: median(rest.map((r) => r.p50)),
      p99: median(rest.map((r) => r.p99)),
      cpuUsPerPush: median(rest.map((r) => r.cpuUsPerPush ?? Number.NaN)),
      rounds: rest,
    },
    soap: {
      rps: soapRps,
      p50: median(soap.map((r) => r.p50)),
      p99: median(soap.map((r) => r.p99)),
      cpuUsPerPush: median(soap.map((r) => r.cpuUsPerPush ?? Number.NaN)),
      rounds: soap,
    },
    soapToRest: soapRps / restRps,
    /** The gateway's CPU per push, SOAP over REST: what the SOAP layer costs, whatever else runs. */
    cpuSoapToRest:
      median(soap.map((r) => r.cpuUsPerPush ?? Number.NaN)) /
      median(rest.map((r) => r.cpuUsPerPush ?? Number.NaN)),
    // Every 2xx answer is a stored record (a push cut off at the end may be stored unanswered: never fewer).
    stored: { rest: stored('REST'), soap: stored('SOAP') },
    nothingLost:
      stored('REST') >= rest.reduce((s, r) => s + r.ok, 0) &&
      stored('SOAP') >= soap.reduce((s, r) => s + r.ok, 0),
    failures: [...rest, ...soap].reduce((s, r) => s + r.non2xx + r.errors, 0),
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const result = await benchSoap({
    rounds: Number(process.env.BENCH_SOAP_ROUNDS ?? 3),
    seconds: Number(process.env.BENCH_SECONDS ?? 5),
    amount: Number(process.env.BENCH_SOAP_AMOUNT ?? 20_000),
    connections: 16,
  });
  process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
}
