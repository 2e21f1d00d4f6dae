/** Use case: signing out of the dashboard deletes the session (docs/dashboard.md, Sessions). */
import type { Db } from '../store/store.js';
import { deleteSession } from './session.store.js';

export async function signOut(db: Db, idHash: string): Promise<void> {
  await deleteSession(db, idHash);
}
