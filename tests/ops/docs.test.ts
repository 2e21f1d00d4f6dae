import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestGateway, json, type TestGateway } from '../helpers/gateway.js';

let gw: TestGateway;
beforeAll(async () => {
  gw = await createTestGateway();
});
afterAll(async () => {
  await gw.close();
});

describe('API reference', () => {
  it('promises only what has routes: postal jobs only with /v1/postal routes', async () => {
    const doc = await json(await gw.request('GET', '/openapi.json', { key: null }));
    const hasPostal = Object.keys(doc.paths).some((p) => p.startsWith('/v1/postal/'));
    expect(/postal/i.test(doc.info.description)).toBe(hasPostal);
  });

  it('serves an OpenAPI 3.1 document generated from the routes', async () => {
    const res = await gw.request('GET', '/openapi.json', { key: null });
    expect(res.status).toBe(200);
    const doc = await json(res);
    expect(doc.openapi).toBe('3.1.0');
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining([
        '/v1/dossiers',
        '/v1/dossiers/{id}',
        '/v1/dossiers/{id}/events',
        '/v1/records/{recordId}/events',
        '/v1/clients',
      ]),
    );
    expect(doc.components.schemas.DossierInput.properties.applicant).toBeTruthy();
    expect(doc.components.schemas.Problem).toBeTruthy();
    expect(doc.components.securitySchemes.bearer).toMatchObject({ type: 'http', scheme: 'bearer' });
    expect(doc.paths['/v1/dossiers'].post.responses['409'].content['application/problem+json']).toBeTruthy();
  });

  it('serves the reference page with only local scripts and styles', async () => {
    const res = await gw.request('GET', '/docs', { key: null });
    expect(res.status).toBe(200);
    const html = await res.text();
    const refs = [...html.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1] ?? '');
    expect(refs.length).toBeGreaterThanOrEqual(3);
    for (const ref of refs) {
      expect(ref.startsWith('/')).toBe(true);
      expect(ref.startsWith('//')).toBe(false);
      const asset = await gw.request('GET', ref, { key: null });
      expect(asset.status, ref).toBe(200);
      expect((await asset.arrayBuffer()).byteLength, ref).toBeGreaterThan(100);
    }
    expect(res.headers.get('Content-Security-Policy')).toContain("script-src 'self'");
  });

  it('publishes JSON Schemas generated from the canonical model', async () => {
    const res = await gw.request('GET', '/schemas/dossier-input.json', { key: null });
    expect(res.status).toBe(200);
    const schema = await json(res);
    expect(schema.type).toBe('object');
    expect(schema.required).toEqual(
      expect.arrayContaining(['source', 'procedure', 'agency', 'applicant', 'channel', 'receivedAt']),
    );
    expect(schema.properties.applicant.properties.type.enum).toEqual([
      'citizen',
      'business',
      'agency',
      'organization',
    ]);
    expect((await gw.request('GET', '/schemas/dossier.json', { key: null })).status).toBe(200);
    expect((await gw.request('GET', '/schemas/nope.json', { key: null })).status).toBe(404);
  });

  it('describes each problem type at its type URI', async () => {
    const res = await gw.request('GET', '/problems/illegal_transition', { key: null });
    expect(await json(res)).toMatchObject({ status: 409 });
    expect((await gw.request('GET', '/problems/nope', { key: null })).status).toBe(404);
  });
});
