/**
 * XML attacks and bodies the SOAP parser must never see: a DTD with entity expansion (billion laughs),
 * an external entity reading a local file, an oversized body, malformed XML. Each gets a fault (413 for
 * the size) quickly, never a 500, and writes nothing (docs/soap.md).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { count } from '../helpers/gateway.js';
import {
  envelope,
  readFault,
  type SoapGateway,
  startSoapGateway,
  tiepNhan,
  toXml,
  usernameToken,
} from './soap-gateway.js';

let sg: SoapGateway;
let secretDir: string;
let secretFile: string;
const SECRET = `secret-${crypto.randomUUID()}`;

beforeAll(async () => {
  sg = await startSoapGateway();
  secretDir = mkdtempSync(join(tmpdir(), 'lienthong-soap-xxe-'));
  secretFile = join(secretDir, 'secret.txt');
  writeFileSync(secretFile, SECRET);
});
afterAll(async () => {
  await sg.close();
  rmSync(secretDir, { recursive: true, force: true });
});

const TABLES = ['dossiers', 'dossier_sources', 'status_history', 'reconciliation_log', 'idempotency_keys'];
const written = () => TABLES.map((t) => count(sg.gw, t));

async function credentials() {
  return usernameToken(await sg.idOf(sg.gw.keys.motcua), sg.gw.keys.motcua);
}

/**
 * Posts the chunks over a plain socket. The gateway answers before the body is all sent and closes the
 * connection, so a write error after the answer arrived is expected and ignored.
 */
function rawPost(chunks: string[], headers: Record<string, string> = {}) {
  return new Promise<{ status: number; text: string }>((resolve, reject) => {
    let answered = false;
    const req = request(
      sg.url,
      { method: 'POST', headers: { 'Content-Type': 'text/xml', ...headers } },
      (res) => {
        answered = true;
        const got: Buffer[] = [];
        res.on('data', (c: Buffer) => got.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(got).toString() }));
        res.on('error', reject);
      },
    );
    req.on('error', (error) => {
      if (!answered) reject(error);
    });
    req.setTimeout(10_000, () => req.destroy(new Error('timed out')));
    for (const chunk of chunks) req.write(chunk);
    req.end();
  });
}

describe('XML attacks', () => {
  it('a billion-laughs payload is refused before parsing', async () => {
    const before = written();
    const lols = Array.from({ length: 9 }, (_, i) => {
      const prev = i === 0 ? 'lol' : `&lol${i - 1};`.repeat(10);
      return `<!ENTITY lol${i} "${prev}">`;
    }).join('');
    const body = envelope(toXml('TiepNhanHoSo', tiepNhan({ TrichYeu: '__LOL__' })), await credentials());
    const xml = body.replace(
      '<?xml version="1.0" encoding="utf-8"?>',
      `<?xml version="1.0"?><!DOCTYPE lolz [${lols}]>`,
    );
    const fault = await readFault(await sg.post(xml.replace('__LOL__', '&lol8;')));
    expect([fault.status, fault.faultcode, fault.code]).toEqual([400, 'soap:Client', 'bad_request']);
    expect(fault.message).toMatch(/DTD/);
    expect(written()).toEqual(before);
  });

  it('an external entity never reads the local file', async () => {
    const before = written();
    const body = envelope(toXml('TiepNhanHoSo', tiepNhan({ TrichYeu: '__XXE__' })), await credentials());
    const xml = body
      .replace(
        '<?xml version="1.0" encoding="utf-8"?>',
        `<?xml version="1.0"?><!DOCTYPE x [<!ENTITY xxe SYSTEM "file://${secretFile}">]>`,
      )
      .replace('__XXE__', '&xxe;');
    const answer = await sg.post(xml);
    expect(answer.text).not.toContain(SECRET);
    const fault = await readFault(answer);
    expect([fault.status, fault.code]).toEqual([400, 'bad_request']);
    expect(fault.message).toMatch(/DTD/); // refused before any parser saw it
    // Nor does a lowercase or parameter-entity variant get through.
    const sneaky = xml.replace('<!DOCTYPE', '<!doctype').replace('<!ENTITY xxe', '<!entity % xxe');
    const again = await sg.post(sneaky);
    expect(again.text).not.toContain(SECRET);
    expect((await readFault(again)).message).toMatch(/DTD/);
    expect(written()).toEqual(before);
    // And no stored row holds it.
    const rows = JSON.stringify(sg.gw.sqlite.prepare('SELECT * FROM reconciliation_log').all());
    expect(rows).not.toContain(SECRET);
  });

  it('a body over BODY_LIMIT_BYTES gets 413 and is not read to the end', async () => {
    const before = written();
    const limit = sg.gw.services.config.bodyLimitBytes;
    const huge = envelope(
      toXml('TiepNhanHoSo', tiepNhan({ TrichYeu: 'x'.repeat(limit + 10) })),
      await credentials(),
    );
    const fault = await readFault(
      await rawPost([huge], { 'Content-Length': String(Buffer.byteLength(huge)) }),
    );
    expect([fault.status, fault.code]).toEqual([413, 'payload_too_large']);
    expect(written()).toEqual(before);
  });

  it('a body over the limit sent without a length (chunked) also gets 413', async () => {
    const limit = sg.gw.services.config.bodyLimitBytes;
    const chunk = 'x'.repeat(64 * 1024);
    const chunks = Array.from({ length: Math.ceil(limit / chunk.length) + 1 }, () => chunk);
    expect((await readFault(await rawPost(chunks))).status).toBe(413);
  });

  it('malformed XML, an unknown operation and a body that is not UTF-8 are client faults, not 500', async () => {
    const creds = await credentials();
    const bodies: (string | Buffer)[] = [
      '<soap:Envelope><oops',
      'not xml at all',
      envelope('<lt:XoaHoSo><lt:MaHoSo>1</lt:MaHoSo></lt:XoaHoSo>', creds),
      Buffer.from(envelope(toXml('TraCuuHoSo', { MaHoSo: 'x' }), creds), 'utf16le'),
    ];
    for (const body of bodies) {
      const res = await fetch(sg.url, { method: 'POST', headers: { 'Content-Type': 'text/xml' }, body });
      const fault = await readFault({ status: res.status, text: await res.text() });
      expect(fault.status).toBe(400);
      expect(fault.faultcode).toBe('soap:Client');
    }
  });

  it('other paths under /soap/ and other methods answer faults', async () => {
    const other = await fetch(`${sg.base}/soap/khac`, { method: 'POST', body: '<x/>' });
    expect(other.status).toBe(404);
    const bare = await fetch(`${sg.base}/soap`, { method: 'POST', body: '<x/>' });
    expect([bare.status, (await readFault({ status: bare.status, text: await bare.text() })).code]).toEqual([
      404,
      'route_not_found',
    ]);
    const get = await fetch(sg.url);
    expect(get.status).toBe(405);
  });
});

describe('on a runtime without the SOAP listener (Workers)', () => {
  it('/soap/* answers a 501 problem', async () => {
    const res = await sg.gw.app.request('/soap/lienthong', { method: 'POST', body: '<x/>' });
    expect(res.status).toBe(501);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    const problem = (await res.json()) as { code: string; detail: string };
    expect(problem.code).toBe('not_implemented');
    expect(problem.detail).toMatch(/Node/);
  });
});
