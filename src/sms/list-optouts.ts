/** Use case: every opt-out, oldest first, as the operators see it (digest and masked hint only). */
import type { Db } from '../store/store.js';
import { listOptOuts } from './optout.store.js';
import { type OptOutView, optOutView } from './optout.view.js';

export async function listOptOutViews(db: Db): Promise<{ items: OptOutView[] }> {
  return { items: (await listOptOuts(db)).map(optOutView) };
}
