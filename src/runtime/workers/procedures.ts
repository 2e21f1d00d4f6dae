/**
 * The procedure catalogue on Workers (no file system): config/procedures.json bundled into the Worker
 * and checked when the isolate starts (docs/deadlines.md, Procedure catalogue).
 */
import catalogue from '../../../config/procedures.json' with { type: 'json' };
import { type ProcedureCatalogue, parseProcedureCatalogue } from '../../deadlines/procedures.js';

export function bundledProcedureCatalogue(): ProcedureCatalogue {
  return parseProcedureCatalogue(catalogue, 'config/procedures.json (bundled)');
}
