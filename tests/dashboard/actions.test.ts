/**
 * The dashboard's pages and actions through `app.request`: dead letters and replay, the review
 * decisions (merge, keep apart, split), verifying the log; each calls the same use case as the API.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestGateway, dossierBody, type TestGateway } from '../helpers/gateway.js';
import { get, heldDualEntry, post, type Signed, signIn } from './dashboard-fixture.js';

let gw: TestGateway;
let s: Signed;
beforeEach(async () => {
  gw = await createTestGateway();
  s = await signIn(gw);
});
afterEach(async () => {
  await gw.close();
});

/** Pushes a dossier and turns its portal transfer into a dead letter; returns the dossier and transfer ids. */
async function deadLetter(): Promise<{ dossierId: string; transferId: number }> {
  const res = await gw.request('POST', '/v1/dossiers', { body: dossierBody() });
  const { id } = (await res.json()) as { id: string };
  const row = gw.sqlite
    .prepare("SELECT id FROM transfers WHERE dossier_id = ? AND destination = 'portal' ORDER BY seq LIMIT 1")
    .get(id) as { id: number };
  gw.sqlite
    .prepare(
      "UPDATE transfers SET state = 'dead', attempts = 20, last_error = 'portal answered 503' WHERE id = ?",
    )
    .run(row.id);
  return { dossierId: id, transferId: row.id };
}

const stateOf = (id: number) =>
  (gw.sqlite.prepare('SELECT state FROM transfers WHERE id = ?').get(id) as { state: string }).state;

describe('dead letters', () => {
  it('are listed with their error, and one is replayed by its button; the page then follows its dossier', async () => {
    const { dossierId, transferId } = await deadLetter();
    const page = await (await get(gw, '/ops/dead-letters', s.cookie)).text();
    expect(page).toContain(`id="transfer-${transferId}"`);
    expect(page).toContain('portal answered 503');
    const res = await post(
      gw,
      '/ops/dead-letters/replay',
      { csrf: s.csrf, id: String(transferId), dossier: dossierId },
      { cookie: s.cookie },
    );
    expect(res.status).toBe(303);
    const location = res.headers.get('Location') ?? '';
    expect(location).toBe(`/ops/dead-letters?done=replayed&n=1&dossier=${dossierId}`);
    expect(stateOf(transferId)).toBe('pending');
    const after = await (await get(gw, location, s.cookie)).text();
    expect(after).toContain('Đã đưa lại vào hàng đợi gửi: 1 chuyển giao.');
    expect(after).toMatch(new RegExp(`id="transfer-${transferId}" data-state="pending"`));
    const logged = gw.sqlite
      .prepare("SELECT actor FROM reconciliation_log WHERE kind = 'transfer.replayed'")
      .pluck()
      .all() as string[];
    expect(logged).toEqual([expect.stringMatching(/^operator:operator \(/)]);
  });

  it('are replayed all at once for a destination', async () => {
    const a = await deadLetter();
    const b = await deadLetter();
    const res = await post(
      gw,
      '/ops/dead-letters/replay',
      { csrf: s.csrf, destination: 'portal' },
      { cookie: s.cookie },
    );
    expect(res.headers.get('Location')).toBe('/ops/dead-letters?done=replayed&n=2');
    expect([stateOf(a.transferId), stateOf(b.transferId)]).toEqual(['pending', 'pending']);
  });

  it('refuse a replay form that names both a transfer and a destination, or neither', async () => {
    const { transferId } = await deadLetter();
    const forms: Record<string, string>[] = [{ id: String(transferId), destination: 'portal' }, {}];
    for (const fields of forms) {
      const res = await post(
        gw,
        '/ops/dead-letters/replay',
        { csrf: s.csrf, ...fields },
        { cookie: s.cookie },
      );
      expect(res.status).toBe(400);
    }
    expect(stateOf(transferId)).toBe('dead');
  });
});

describe('reviews', () => {
  it('keep a held dossier apart', async () => {
    const { heldId } = await heldDualEntry(gw);
    const page = await (await get(gw, '/ops/reviews', s.cookie)).text();
    const reviewId = /action="\/ops\/reviews\/([^/]+)\/keep-apart"/.exec(page)?.[1] ?? '';
    expect(reviewId).not.toBe('');
    const res = await post(gw, `/ops/reviews/${reviewId}/keep-apart`, { csrf: s.csrf }, { cookie: s.cookie });
    expect(res.status).toBe(303);
    expect(res.headers.get('Location')).toBe('/ops/reviews?done=kept-apart');
    const held = gw.sqlite.prepare('SELECT held FROM dossiers WHERE id = ?').get(heldId) as { held: number };
    expect(held.held).toBe(0);
    // Deciding again is a conflict, shown as a page, not a 500.
    const again = await post(
      gw,
      `/ops/reviews/${reviewId}/keep-apart`,
      { csrf: s.csrf },
      { cookie: s.cookie },
    );
    expect(again.status).toBe(409);
    expect(await again.text()).toContain('Không thực hiện được');
  });

  it('merge into the chosen candidate, refuse one that is not a candidate, and split the merge back out', async () => {
    const { heldId, firstId, recordId } = await heldDualEntry(gw);
    const page = await (await get(gw, '/ops/reviews', s.cookie)).text();
    const reviewId = /action="\/ops\/reviews\/([^/]+)\/merge"/.exec(page)?.[1] ?? '';
    const wrong = await post(
      gw,
      `/ops/reviews/${reviewId}/merge`,
      { csrf: s.csrf, into: 'not-a-candidate' },
      { cookie: s.cookie },
    );
    expect(wrong.status).toBe(400);
    const res = await post(
      gw,
      `/ops/reviews/${reviewId}/merge`,
      { csrf: s.csrf, into: firstId },
      { cookie: s.cookie },
    );
    expect(res.status).toBe(303);
    const merged = gw.sqlite.prepare('SELECT merged_into FROM dossiers WHERE id = ?').get(heldId) as {
      merged_into: string;
    };
    expect(merged.merged_into).toBe(firstId);
    const split = await post(
      gw,
      '/ops/split',
      { csrf: s.csrf, dossierId: firstId, system: 'xaydung', recordId },
      { cookie: s.cookie },
    );
    expect(split.status).toBe(303);
    expect(split.headers.get('Location')).toBe('/ops/reviews?done=split');
    const owner = gw.sqlite
      .prepare("SELECT dossier_id FROM dossier_sources WHERE system = 'xaydung' AND record_id = ?")
      .get(recordId) as { dossier_id: string };
    expect(owner.dossier_id).not.toBe(firstId);
  });
});

describe('the log page', () => {
  it('verifies the chain on demand, stores the result and shows it as the last verification', async () => {
    await gw.request('POST', '/v1/dossiers', { body: dossierBody() });
    expect(await (await get(gw, '/ops/log', s.cookie)).text()).toContain('Chưa có lần kiểm tra nào.');
    const res = await post(gw, '/ops/log/verify', { csrf: s.csrf }, { cookie: s.cookie });
    expect(res.headers.get('Location')).toBe('/ops/log?done=verified');
    const html = await (await get(gw, '/ops/log?done=verified', s.cookie)).text();
    expect(html).toContain('data-ok="true"');
    const entries = gw.sqlite.prepare('SELECT count(*) FROM reconciliation_log').pluck().get() as number;
    expect(html).toContain(`${entries} mục, chuỗi liền mạch`);
    // The same stored result the API's last verification gives.
    const api = await gw.request('GET', '/v1/ops/log/verify', { key: gw.keys.operator });
    expect(((await api.json()) as { last: { entries: number } }).last.entries).toBe(entries);
  });

  it('shows a broken chain as broken', async () => {
    await gw.request('POST', '/v1/dossiers', { body: dossierBody() });
    // An edit behind the gateway's back: drop the append-only guard and change an entry.
    gw.sqlite.exec('DROP TRIGGER reconciliation_log_no_update');
    gw.sqlite.exec("UPDATE reconciliation_log SET actor = 'someone else' WHERE id = 1");
    const res = await post(gw, '/ops/log/verify', { csrf: s.csrf }, { cookie: s.cookie });
    expect(res.headers.get('Location')).toBe('/ops/log?done=verify-failed');
    const html = await (await get(gw, '/ops/log', s.cookie)).text();
    expect(html).toContain('data-ok="false"');
    expect(html).toContain('lỗi tại entry 1');
  });
});
