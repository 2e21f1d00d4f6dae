/** Use case: the last verification of the log asked through the API, if any (the dashboard shows it). */
import type { Db } from '../store/store.js';
import { findLastVerification } from './verification.store.js';
import type { Verification } from './verify-log-now.js';

export async function lastVerification(db: Db): Promise<Verification | null> {
  const v = await findLastVerification(db);
  if (!v) return null;
  return { id: v.id, ...(JSON.parse(v.result) as Omit<Verification, 'id'>) };
}
