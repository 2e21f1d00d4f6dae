/** A test gateway served over a real socket on 127.0.0.1, with LienThongService attached as in `npm start`. */

import { Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { parseStringPromise, processors } from 'xml2js';
import { attachSoap, SOAP_PATH } from '../../src/soap/soap.server.js';
import { createTestGateway, type TestGateway } from '../helpers/gateway.js';

export interface SoapGateway {
  gw: TestGateway;
  base: string;
  url: string;
  wsdlUrl: string;
  /** The client id of each test key (the WS-Security username). */
  idOf(key: string): Promise<string>;
  post(xml: string, headers?: Record<string, string>): Promise<{ status: number; text: string }>;
  close(): Promise<void>;
}

export async function startSoapGateway(): Promise<SoapGateway> {
  const gw = await createTestGateway();
  const server = serve({ fetch: gw.app.fetch, hostname: '127.0.0.1', port: 0 });
  if (!(server instanceof HttpServer)) throw new Error('expected an HTTP/1.1 server');
  attachSoap(server, gw.services);
  await new Promise<void>((resolve) => (server.listening ? resolve() : server.once('listening', resolve)));
  const { port } = server.address() as AddressInfo;
  const base = `http://127.0.0.1:${port}`;
  return {
    gw,
    base,
    url: `${base}${SOAP_PATH}`,
    wsdlUrl: `${base}${SOAP_PATH}?wsdl`,
    async idOf(key) {
      const principal = await gw.services.clients.authenticate(key);
      if (!principal) throw new Error('unknown test key');
      return principal.id;
    },
    async post(xml, headers = {}) {
      const res = await fetch(`${base}${SOAP_PATH}`, {
        method: 'POST',
        headers: { 'Content-Type': 'text/xml; charset=utf-8', ...headers },
        body: xml,
        signal: AbortSignal.timeout(10_000),
      });
      return { status: res.status, text: await res.text() };
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await gw.close();
    },
  };
}

const NS = 'urn:lienthong:soap:v1';

/** A SOAP 1.1 envelope around one operation's body, with optional header elements. */
export function envelope(body: string, header = ''): string {
  return (
    '<?xml version="1.0" encoding="utf-8"?>' +
    `<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/" xmlns:lt="${NS}">` +
    (header ? `<soap:Header>${header}</soap:Header>` : '') +
    `<soap:Body>${body}</soap:Body></soap:Envelope>`
  );
}

/** A UsernameToken header (PasswordText). */
export function usernameToken(username: string, password: string): string {
  return (
    '<wsse:Security xmlns:wsse="http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd">' +
    `<wsse:UsernameToken><wsse:Username>${username}</wsse:Username>` +
    '<wsse:Password Type="http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-username-token-profile-1.0#PasswordText">' +
    `${password}</wsse:Password></wsse:UsernameToken></wsse:Security>`
  );
}

let counter = 0;

/** A valid TiepNhanHoSo body as the client object; override any element. */
export function tiepNhan(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  counter += 1;
  const n = String(counter).padStart(6, '0');
  return {
    MaHoSoNguon: `SOAP-2026-${n}`,
    MaThuTuc: '1.004227',
    TenThuTuc: 'Cấp giấy phép xây dựng nhà ở riêng lẻ',
    MaDonVi: '000.00.15.H24',
    TenDonVi: 'Sở Xây dựng tỉnh Bắc Ninh',
    ChuHoSo: {
      LoaiDoiTuong: '1',
      HoTen: 'Trần Thị Bình',
      SoGiayTo: `027091${String(200000 + counter).slice(-6)}`,
      SoDienThoai: '0912 345 679',
      DiaChi: { DiaChiChiTiet: 'Số 5 đường Trần Hưng Đạo', MaXa: '09187', MaTinh: '24' },
    },
    TrichYeu: 'Xin cấp phép xây dựng nhà ở 2 tầng',
    KenhNop: '1',
    NgayTiepNhan: '20261128083000',
    NgayHenTra: '20261212170000',
    TrangThai: '2',
    ThanhPhanHoSo: { GiayTo: [{ TenGiayTo: 'Đơn đề nghị', MaThanhPhan: 'TP1', DaSoHoa: 'true' }] },
    LePhi: { KhoanPhi: [{ MaPhi: 'LPXD', TenPhi: 'Lệ phí cấp phép', SoTien: '75000' }] },
    ...overrides,
  };
}

export interface FaultAnswer {
  status: number;
  faultcode: string;
  faultstring: string;
  code: string;
  message: string;
  errors: { path: string; rule: string; message: string }[];
}

/** Reads a fault answer with xml2js (strict, no DTD): status, fault code and string, detail. */
export async function readFault(answer: { status: number; text: string }): Promise<FaultAnswer> {
  const doc = await parseStringPromise(answer.text, {
    explicitArray: false,
    tagNameProcessors: [processors.stripPrefix],
  });
  const fault = doc?.Envelope?.Body?.Fault;
  if (!fault) throw new Error(`not a fault: ${answer.status} ${answer.text.slice(0, 300)}`);
  const listed = fault.detail?.errors?.error;
  const errors = listed === undefined ? [] : Array.isArray(listed) ? listed : [listed];
  return {
    status: answer.status,
    faultcode: fault.faultcode,
    faultstring: fault.faultstring,
    code: fault.detail?.code,
    message: fault.detail?.message,
    errors,
  };
}

/** The XML of a TiepNhanHoSo body (elements in the given order; objects nest, arrays repeat). */
export function toXml(name: string, value: unknown): string {
  if (value === undefined) return '';
  if (Array.isArray(value)) return value.map((v) => toXml(name, v)).join('');
  if (value !== null && typeof value === 'object') {
    const inner = Object.entries(value as Record<string, unknown>)
      .map(([k, v]) => toXml(k, v))
      .join('');
    return `<lt:${name}>${inner}</lt:${name}>`;
  }
  const text = String(value).replace(/&/g, '&amp;').replace(/</g, '&lt;');
  return `<lt:${name}>${text}</lt:${name}>`;
}
