/**
 * 0009: the postal service's delivery jobs, their tracking events, and operator findings
 * (docs/postal.md). One job of each kind per dossier (a unique index), one tracking number per job,
 * and the same event (job, type, time) stored once. Findings are kept generic (kind, references,
 * detail without personal data) so later reconciliation work can open its own kinds in the same table.
 */
import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('postal_jobs')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('dossier_id', 'text', (c) => c.notNull())
    .addColumn('agency_code', 'text', (c) => c.notNull())
    .addColumn('order_number', 'text', (c) => c.notNull())
    .addColumn('payload', 'text', (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('lease_owner', 'text')
    .addColumn('lease_token', 'text')
    .addColumn('lease_until_ms', 'integer')
    .addColumn('accepted_by', 'text')
    .addColumn('tracking_number', 'text')
    .addColumn('failed_deliveries', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('final_at_ms', 'integer')
    .addColumn('created_at_ms', 'integer', (c) => c.notNull())
    .addColumn('due_by_ms', 'integer', (c) => c.notNull())
    .addColumn('updated_at_ms', 'integer', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('postal_jobs_one_per_dossier')
    .on('postal_jobs')
    .columns(['dossier_id', 'kind'])
    .unique()
    .execute();
  await db.schema
    .createIndex('postal_jobs_tracking')
    .on('postal_jobs')
    .column('tracking_number')
    .unique()
    .where(sql.ref('tracking_number'), 'is not', null)
    .execute();
  await db.schema
    .createIndex('postal_jobs_claimable')
    .on('postal_jobs')
    .columns(['state', 'created_at_ms'])
    .execute();
  await db.schema
    .createTable('postal_events')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('job_id', 'text', (c) => c.notNull())
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('at_ms', 'integer', (c) => c.notNull())
    .addColumn('at', 'text', (c) => c.notNull())
    .addColumn('recipient_name', 'text')
    .addColumn('reason', 'text')
    .addColumn('applied', 'integer', (c) => c.notNull())
    .addColumn('recorded_at_ms', 'integer', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('postal_events_once')
    .on('postal_events')
    .columns(['job_id', 'type', 'at_ms'])
    .unique()
    .execute();
  await db.schema
    .createTable('findings')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('dossier_id', 'text')
    .addColumn('job_id', 'text')
    .addColumn('detail', 'text', (c) => c.notNull())
    .addColumn('opened_at_ms', 'integer', (c) => c.notNull())
    .addColumn('closed_at_ms', 'integer')
    .execute();
  await db.schema
    .createIndex('findings_open')
    .on('findings')
    .columns(['closed_at_ms', 'opened_at_ms'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('findings').execute();
  await db.schema.dropTable('postal_events').execute();
  await db.schema.dropTable('postal_jobs').execute();
}
