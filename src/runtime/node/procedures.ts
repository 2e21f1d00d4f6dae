/**
 * The procedure catalogue on Node: PROCEDURES_PATH read and checked at start (docs/deadlines.md,
 * Procedure catalogue); a missing or bad file stops the start, naming the file and the entry.
 */
import { readFileSync } from 'node:fs';
import { type ProcedureCatalogue, parseProcedureCatalogue } from '../../deadlines/procedures.js';

export function loadProcedureCatalogue(path: string): ProcedureCatalogue {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new Error(
      `PROCEDURES_PATH: cannot read the procedure catalogue ${path}: ${(error as Error).message}`,
    );
  }
  return parseProcedureCatalogue(json, path);
}
