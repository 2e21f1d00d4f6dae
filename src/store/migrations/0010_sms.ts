/**
 * 0010: SMS notices to the applicant (docs/sms.md). `sms_notices` holds one row per (dossier, event):
 * its primary key is what makes a second notice impossible, whichever system reports the event and
 * however often; the row records the outcome (queued with its transfer and segments, or why nothing
 * was sent) and no phone number. `sms_optouts` holds the numbers that get no notice, as keyed digests.
 */
import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('sms_notices')
    .addColumn('dossier_id', 'text', (c) => c.notNull())
    .addColumn('event', 'text', (c) => c.notNull())
    .addColumn('outcome', 'text', (c) => c.notNull())
    .addColumn('transfer_id', 'integer')
    .addColumn('encoding', 'text')
    .addColumn('segments', 'integer')
    .addColumn('created_at_ms', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('sms_notices_pk', ['dossier_id', 'event'])
    .execute();
  await db.schema
    .createTable('sms_optouts')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('hint', 'text', (c) => c.notNull())
    .addColumn('note', 'text')
    .addColumn('created_at_ms', 'integer', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('sms_optouts').execute();
  await db.schema.dropTable('sms_notices').execute();
}
