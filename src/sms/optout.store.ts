/** `sms_optouts`: numbers that get no notice, by keyed digest. One function per statement. */
import { prepared } from '../store/prepared.js';
import type { Db } from '../store/store.js';
import type { SmsOptOutTable } from '../store/tables.js';

export type OptOutRow = SmsOptOutTable;

/** Adds an opt-out; false when the number was already opted out. */
export async function insertOptOut(db: Db, row: OptOutRow): Promise<boolean> {
  const inserted = await db
    .insertInto('sms_optouts')
    .values(row)
    .onConflict((oc) => oc.column('id').doNothing())
    .returning('id')
    .executeTakeFirst();
  return inserted !== undefined;
}

/** Removes an opt-out; false when there was none. */
export async function deleteOptOut(db: Db, id: string): Promise<boolean> {
  const result = await db.deleteFrom('sms_optouts').where('id', '=', id).executeTakeFirst();
  return result.numDeletedRows > 0n;
}

/** Whether a digest is opted out. */
export async function isOptedOut(db: Db, id: string): Promise<boolean> {
  return (await selectOptOut.first(db, { id })) !== undefined;
}

// Asked at every notice: built once (docs/architecture.md).
const selectOptOut = prepared<{ id: string }>()((db, p) =>
  db.selectFrom('sms_optouts').select('id').where('id', '=', p.id),
);

/** Every opt-out, oldest first. */
export async function listOptOuts(db: Db): Promise<OptOutRow[]> {
  return db.selectFrom('sms_optouts').selectAll().orderBy('created_at_ms').orderBy('id').execute();
}
