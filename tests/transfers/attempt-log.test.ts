/**
 * A delivery attempt's log entry keeps the portal's words, but the reconciliation log cannot be erased:
 * identifiers, phone numbers and e-mail addresses the portal echoes back are masked in it, as in log
 * lines (docs/privacy.md). The transfer's own last error, which the retention job and dossier erasure
 * reach, keeps the whole text for operators.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createHarness, type Harness } from '../helpers/delivery.js';
import { dossierBody, json } from '../helpers/gateway.js';

let h: Harness;
afterEach(async () => {
  await h?.close();
});

describe('the transfer.attempt entry of a refused dossier', () => {
  it('masks the identifiers the portal echoed', async () => {
    h = await createHarness();
    const d = await json(await h.gw.request('POST', '/v1/dossiers', { body: dossierBody() }));
    const reason = 'số 027190654321 của ngoc.tran@example.vn, điện thoại 0912345678, không hợp lệ';
    h.sim.control.rejectCodes([d.code], { field: 'SoCMND', reason });
    await h.drain();
    const entry = h.gw.sqlite
      .prepare("SELECT data FROM reconciliation_log WHERE kind = 'transfer.attempt' AND dossier_id = ?")
      .get(d.id) as { data: string };
    const data = JSON.parse(entry.data) as { outcome: string; error: string };
    expect(data.outcome).toBe('dead');
    expect(data.error).toContain('SoCMND');
    expect(data.error).toContain('***321 của ***@example.vn, điện thoại ***678');
    for (const value of ['027190654321', 'ngoc.tran', '0912345678']) expect(entry.data).not.toContain(value);
    expect(h.transfers()[0]?.last_error).toContain('027190654321');
  });
});
