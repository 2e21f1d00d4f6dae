/**
 * Numbered migrations, listed statically so every runtime (Node, Workers) bundles them without
 * reading a folder. Add a file `NNNN_name.ts` and list it here; never edit an applied migration.
 */
import type { Migration, MigrationProvider } from 'kysely';
import * as m0001 from './0001_init.js';
import * as m0002 from './0002_dedup.js';
import * as m0003 from './0003_delivery.js';
import * as m0004 from './0004_fewer_indexes.js';
import * as m0006 from './0006_boots.js';
import * as m0007 from './0007_log_checkpoints.js';
import * as m0008 from './0008_match_within_agency.js';
import * as m0009 from './0009_postal.js';
import * as m0010 from './0010_sms.js';
import * as m0011 from './0011_departments.js';
import * as m0012 from './0012_department_pull.js';
import * as m0013 from './0013_deadlines.js';
import * as m0014 from './0014_reconciliation.js';
import * as m0015 from './0015_ops_sessions.js';

const MIGRATIONS: Record<string, Migration> = {
  '0001_init': m0001,
  '0002_dedup': m0002,
  '0003_delivery': m0003,
  '0004_fewer_indexes': m0004,
  '0006_boots': m0006,
  '0007_log_checkpoints': m0007,
  '0008_match_within_agency': m0008,
  '0009_postal': m0009,
  '0010_sms': m0010,
  '0011_departments': m0011,
  '0012_department_pull': m0012,
  '0013_deadlines': m0013,
  '0014_reconciliation': m0014,
  '0015_ops_sessions': m0015,
};

export const migrationProvider: MigrationProvider = {
  getMigrations: async () => MIGRATIONS,
};
