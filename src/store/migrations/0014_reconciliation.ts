/**
 * 0014: reconciliation runs and their findings (docs/reconciliation.md). The postal work's `findings`
 * table (0009) gets what a run needs: the subject a finding is about (`dossier:…`, `transfer:…`,
 * `job:…`, `review:…`), the agency, the transfer or review it names, and the runs that opened and
 * closed it; a partial unique index keeps one open finding per subject and kind. The postal service's
 * `postal_delivery_failed` findings take the name, `delivery_failed`. `reconciliation_runs`
 * holds each run, its period, whether the portal could be compared and its counts; `log_verifications`
 * the results of `POST /v1/ops/log/verify` (the dashboard shows the last).
 */
import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('findings').addColumn('subject', 'text').execute();
  await db.schema.alterTable('findings').addColumn('agency_code', 'text').execute();
  await db.schema.alterTable('findings').addColumn('transfer_id', 'integer').execute();
  await db.schema.alterTable('findings').addColumn('review_id', 'text').execute();
  await db.schema.alterTable('findings').addColumn('opened_by_run', 'text').execute();
  await db.schema.alterTable('findings').addColumn('closed_by_run', 'text').execute();
  await sql`UPDATE findings SET kind = 'delivery_failed' WHERE kind = 'postal_delivery_failed'`.execute(db);
  await sql`UPDATE findings SET subject = CASE WHEN job_id IS NOT NULL THEN 'job:' || job_id
    ELSE 'dossier:' || dossier_id END`.execute(db);
  await sql`UPDATE findings SET agency_code =
    (SELECT agency_code FROM dossiers WHERE dossiers.id = findings.dossier_id)`.execute(db);
  // Postal findings opened twice before this migration keep the older one open.
  await sql`UPDATE findings SET closed_at_ms = opened_at_ms WHERE closed_at_ms IS NULL AND EXISTS
    (SELECT 1 FROM findings f WHERE f.kind = findings.kind AND f.subject = findings.subject
      AND f.closed_at_ms IS NULL AND f.id < findings.id)`.execute(db);
  await db.schema
    .createIndex('findings_one_open')
    .on('findings')
    .columns(['kind', 'subject'])
    .unique()
    .where(sql.ref('closed_at_ms'), 'is', null)
    .execute();
  await db.schema.createIndex('findings_by_kind').on('findings').columns(['kind', 'id']).execute();
  await db.schema
    .createTable('reconciliation_runs')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('trigger', 'text', (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('period_from_ms', 'integer', (c) => c.notNull())
    .addColumn('period_to_ms', 'integer', (c) => c.notNull())
    .addColumn('portal', 'text', (c) => c.notNull())
    .addColumn('portal_reason', 'text')
    .addColumn('dossiers_compared', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('dossiers_skipped', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('counts', 'text', (c) => c.notNull())
    .addColumn('error', 'text')
    .addColumn('started_at_ms', 'integer', (c) => c.notNull())
    .addColumn('finished_at_ms', 'integer')
    .addColumn('requested_by', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('reconciliation_runs_started')
    .on('reconciliation_runs')
    .column('started_at_ms')
    .execute();
  await db.schema
    .createTable('log_verifications')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('at_ms', 'integer', (c) => c.notNull())
    .addColumn('ok', 'integer', (c) => c.notNull())
    .addColumn('result', 'text', (c) => c.notNull())
    .addColumn('requested_by', 'text', (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('log_verifications').execute();
  await db.schema.dropTable('reconciliation_runs').execute();
  await db.schema.dropIndex('findings_by_kind').execute();
  await db.schema.dropIndex('findings_one_open').execute();
  await sql`UPDATE findings SET kind = 'postal_delivery_failed' WHERE kind = 'delivery_failed'`.execute(db);
  for (const c of ['subject', 'agency_code', 'transfer_id', 'review_id', 'opened_by_run', 'closed_by_run']) {
    await db.schema.alterTable('findings').dropColumn(c).execute();
  }
}
