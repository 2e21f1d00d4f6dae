/** Dead letters: the list, the transfers of one dossier, and replay (`replay-transfers.ts`). */
import type { Hono } from 'hono';
import { TransferQuerySchema } from '../../schemas/ops.js';
import type { Db } from '../store/store.js';
import { listTransfers, type TransferList } from '../transfers/list-transfers.js';
import { replayTransfers } from '../transfers/replay-transfers.js';
import { DeadLettersQuery, doneText, ReplayForm } from './dashboard.forms.js';
import { acting, parsed, refuse, render, viewerOf } from './dashboard.guard.js';
import type { DashEnv } from './dashboard.http.js';
import { DeadLettersPage } from './pages/dead-letters.js';

const PAGE_SIZE = 200;
const WATCHED_STATES = ['held', 'pending', 'in_flight', 'delivered', 'dead', 'cancelled'] as const;

/** Every transfer of one dossier, in id order, whatever its state. */
async function transfersOf(db: Db, dossierId: string): Promise<TransferList['items']> {
  const items: TransferList['items'] = [];
  for (const state of WATCHED_STATES) {
    const q = TransferQuerySchema.parse({ state, dossierId, limit: 100 });
    items.push(...(await listTransfers(db, q)).items);
  }
  return items.sort((a, b) => a.id - b.id);
}

export function registerTransferPages(app: Hono<DashEnv>): void {
  app.get('/ops/dead-letters', async (c) => {
    const q = parsed(DeadLettersQuery, c.req.query());
    if (!q.ok) return refuse(c, 400, q.text);
    const { db } = c.get('services').store;
    const { destination, dossier } = q.value;
    const list = await listTransfers(
      db,
      TransferQuerySchema.parse({ state: 'dead', destination, limit: PAGE_SIZE }),
    );
    const watched = dossier ? { dossierId: dossier, items: await transfersOf(db, dossier) } : undefined;
    const text = doneText(q.value);
    const page = (
      <DeadLettersPage
        viewer={viewerOf(c)}
        items={list.items}
        more={list.nextAfter !== null}
        destination={destination}
        watched={watched}
        flash={text ? { kind: 'ok', text } : undefined}
      />
    );
    return render(c, 200, page);
  });

  app.post('/ops/dead-letters/replay', (c) =>
    acting(c, async () => {
      const form = parsed(ReplayForm, await c.req.parseBody());
      if (!form.ok) return refuse(c, 400, form.text);
      const { id, destination, dossier } = form.value;
      const request = id !== undefined ? { ids: [id] } : { filter: { destination } };
      const principal = c.get('principal');
      const now = c.get('services').clock.now();
      const answer = await c
        .get('services')
        .store.transaction((trx) => replayTransfers(trx, request, principal, now));
      const watch = dossier ? `&dossier=${encodeURIComponent(dossier)}` : '';
      return c.redirect(`/ops/dead-letters?done=replayed&n=${answer.replayed}${watch}`, 303);
    }),
  );
}
