/**
 * The REST client of departmental software (docs/departments.md, Transports): `POST {baseUrl}{path}` with
 * the profile's mapped body and credentials, over ky, as JSON (`rest-json`) or XML (`rest-xml`, built and
 * read with xml2js). Every answer is classified here, once: 2xx with a readable body → accepted; 408, 429,
 * 5xx, a timeout or a network failure → outage (with Retry-After when given); any other 4xx → refused. An
 * XML answer declaring a DTD or an entity is refused before any parser sees it (a dead letter: bad answer).
 * No retries here (`retry: 0`): the forwarding worker owns backoff and the circuit. It never throws, and
 * never puts the credentials into a message.
 */
import ky, { TimeoutError } from 'ky';
import { Builder, Parser } from 'xml2js';
import type { DepartmentCall, DepartmentOutcome } from '../../schemas/departments.js';

/** A DTD or entity declaration, however cased: never parsed (no entity expansion, no external entity). */
export const XML_DTD = /<!(?:DOCTYPE|ENTITY)/i;

export interface DepartmentClientOptions {
  timeoutMs: number;
  fetch?: typeof globalThis.fetch | undefined;
  now?: () => number;
}

function retryAfterMs(value: string | null, now: number): number | undefined {
  const v = value?.trim();
  if (!v) return undefined;
  if (/^\d+$/.test(v)) return Number(v) * 1000;
  const at = Date.parse(v);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

function authHeaders(call: DepartmentCall): Record<string, string> {
  const { scheme, header } = call.auth;
  if (scheme === 'bearer') return { authorization: `Bearer ${call.credentials}` };
  if (scheme === 'basic')
    return { authorization: `Basic ${btoa(unescape(encodeURIComponent(call.credentials)))}` };
  if (scheme === 'header' && header) return { [header.toLowerCase()]: call.credentials };
  return {};
}

/** The body of a REST + XML call: the mapped fields as child elements of the profile's root. */
export function xmlBody(call: DepartmentCall): string {
  const builder = new Builder({
    rootName: call.root ?? 'HoSo',
    xmldec: { version: '1.0', encoding: 'UTF-8' },
    renderOpts: { pretty: false },
  });
  return builder.buildObject(call.body);
}

/**
 * An XML answer as an object of its root's children (text values), or why it is not one. A DTD or an
 * entity declaration is refused before parsing; sax, under xml2js, never expands declared entities either.
 */
export async function readXmlAnswer(text: string): Promise<{ answer: unknown } | { bad: string }> {
  if (XML_DTD.test(text)) return { bad: 'the answer declares a DTD or an entity' };
  const parser = new Parser({ explicitArray: false, explicitRoot: false, ignoreAttrs: true, strict: true });
  try {
    const answer = await parser.parseStringPromise(text);
    return answer !== null && typeof answer === 'object'
      ? { answer }
      : { bad: 'the answer is not an element' };
  } catch {
    return { bad: 'the answer is not well-formed XML' };
  }
}

async function readAnswer(response: Response, xml: boolean): Promise<DepartmentOutcome> {
  const status = response.status;
  if (!xml) {
    const answer = await response.json().catch(() => undefined);
    if (answer !== undefined) return { kind: 'accepted', answer };
    return { kind: 'outage', status, message: `department answered ${status} without a JSON body` };
  }
  const read = await readXmlAnswer(await response.text().catch(() => ''));
  if ('answer' in read) return { kind: 'accepted', answer: read.answer };
  return { kind: 'refused', status, code: 'bad_answer', message: `bad answer: ${read.bad}` };
}

async function classify(response: Response, now: number, xml: boolean): Promise<DepartmentOutcome> {
  const status = response.status;
  if (response.ok) return readAnswer(response, xml);
  if (status === 429 || status >= 500 || status === 408) {
    const wait = retryAfterMs(response.headers.get('retry-after'), now);
    return { kind: 'outage', status, retryAfterMs: wait, message: `department answered ${status}` };
  }
  const text = (await response.text().catch(() => '')).slice(0, 200);
  return { kind: 'refused', status, message: `department refused (${status}): ${text}` };
}

const XML_HEADERS = { accept: 'application/xml', 'content-type': 'application/xml; charset=utf-8' };

export interface DepartmentClient {
  send(call: DepartmentCall): Promise<DepartmentOutcome>;
}

export function createDepartmentClient(options: DepartmentClientOptions): DepartmentClient {
  const now = options.now ?? Date.now;
  const http = ky.create({
    timeout: options.timeoutMs,
    retry: 0,
    throwHttpErrors: false,
    ...(options.fetch ? { fetch: options.fetch } : {}),
  });
  return {
    async send(call) {
      const url = `${call.baseUrl.replace(/\/+$/, '')}${call.path}`;
      const xml = call.transport === 'rest-xml';
      const body = xml
        ? {
            body: xmlBody(call),
            headers: { ...XML_HEADERS, ...authHeaders(call) },
          }
        : { json: call.body, headers: { accept: 'application/json', ...authHeaders(call) } };
      try {
        const response = await http.post(url, body);
        return await classify(response, now(), xml);
      } catch (error) {
        const message =
          error instanceof TimeoutError
            ? `department did not answer within ${options.timeoutMs} ms`
            : `department unreachable: ${error instanceof Error ? error.message : String(error)}`;
        return { kind: 'outage', message };
      }
    },
  };
}
