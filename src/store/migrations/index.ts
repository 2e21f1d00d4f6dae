/**
 * Numbered migrations, listed statically so every runtime (Node, Workers) bundles them without
 * reading a folder. Add a file `NNNN_name.ts` and list it here; never edit an applied migration.
 */
import type { Migration, MigrationProvider } from 'kysely';
import * as m0001 from './0001_init.js';
import * as m0002 from './0002_dedup.js';

const MIGRATIONS: Record<string, Migration> = {
  '0001_init': m0001,
  '0002_dedup': m0002,
};

export const migrationProvider: MigrationProvider = {
  getMigrations: async () => MIGRATIONS,
};
