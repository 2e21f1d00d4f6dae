/**
 * 0008: dedup candidates only within the dossier's agency, and within the receipt window whatever the
 * identifiers (docs/dedup.md). One index per blocking key — identifier, name key, phone — with the
 * agency, the procedure and the receipt time after it, so each probe is one bounded range of one index.
 * They replace the identifier index without the agency and the four same-day indexes (by receipt day,
 * and their partial copies for dossiers without an identifier), which no probe reads any more.
 */
import { type Kysely, sql } from 'kysely';

const REPLACED = [
  'dossiers_block_id',
  'dossiers_block_name',
  'dossiers_block_phone',
  'dossiers_block_name_idless',
  'dossiers_block_phone_idless',
];

const MATCH_INDEXES: [string, string][] = [
  ['dossiers_match_id', 'applicant_id_number'],
  ['dossiers_match_name', 'applicant_name_key'],
  ['dossiers_match_phone', 'applicant_phone'],
];

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const [name, key] of MATCH_INDEXES) {
    await db.schema
      .createIndex(name)
      .on('dossiers')
      .columns([key, 'agency_code', 'procedure_code', 'received_at_ms'])
      .execute();
  }
  for (const name of REPLACED) await db.schema.dropIndex(name).ifExists().execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createIndex('dossiers_block_id')
    .on('dossiers')
    .columns(['applicant_id_number', 'procedure_code', 'received_at_ms'])
    .execute();
  for (const [name, key] of [
    ['dossiers_block_name', 'applicant_name_key'],
    ['dossiers_block_phone', 'applicant_phone'],
  ] as const) {
    await db.schema
      .createIndex(name)
      .on('dossiers')
      .columns(['procedure_code', 'received_day', key])
      .execute();
    await db.schema
      .createIndex(`${name}_idless`)
      .on('dossiers')
      .columns(['procedure_code', 'received_day', key])
      .where(sql.ref('applicant_id_number'), 'is', null)
      .execute();
  }
  for (const [name] of MATCH_INDEXES) await db.schema.dropIndex(name).execute();
}
