/**
 * Dossier codes: the `dossier_code_sequences` table (one forward-only counter per agency and day of
 * receipt), and whether a code is taken, as a dossier's own code or as an alias.
 */
import { sql } from 'kysely';
import { literalLimit, prepared } from '../store/prepared.js';
import type { Db } from '../store/store.js';

const bump = prepared<{ agency: string; day: string }>()((db, p) =>
  db
    .insertInto('dossier_code_sequences')
    .values({ agency_code: p.agency, day: p.day, last_seq: 1 })
    .onConflict((oc) =>
      oc.columns(['agency_code', 'day']).doUpdateSet((eb) => ({ last_seq: eb('last_seq', '+', 1) })),
    )
    .returning('last_seq'),
);

/** Moves the agency's counter of that day one forward and answers the new value. */
export async function nextDailySequence(db: Db, agency: string, day: string): Promise<number> {
  const row = await bump.first(db, { agency, day });
  if (!row) throw new Error('dossier_code_sequences upsert returned nothing');
  return row.last_seq;
}

const selectTaken = prepared<{ code: string }>()((db, p) =>
  db
    .selectFrom('dossiers')
    .select(sql<number>`1`.as('taken'))
    .where('code', '=', p.code)
    .unionAll(db.selectFrom('dossier_aliases').select(sql<number>`1`.as('taken')).where('code', '=', p.code))
    .limit(literalLimit(1)),
);

/** True when a dossier holds `code` as its own code (merged away or not) or as an alias. */
export async function isCodeTaken(db: Db, code: string): Promise<boolean> {
  return (await selectTaken.first(db, { code })) !== undefined;
}
