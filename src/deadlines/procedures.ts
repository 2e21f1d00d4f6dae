/**
 * The procedure catalogue as the deadline rules read it (docs/deadlines.md, Procedure catalogue): parsed
 * and checked with zod once at start; a bad file stops the start with every problem named by entry.
 */
import { type ProcedureCatalogueFile, ProcedureCatalogueSchema } from '../../schemas/procedures.js';

export interface ProcedureCatalogue {
  /** The legal duration in working days, or undefined for a procedure the catalogue does not list. */
  workingDays(code: string): number | undefined;
  /** How many procedures it lists. */
  readonly size: number;
}

/** A problem in the catalogue file, named for the operator (file, entry, field). */
export class ProcedureCatalogueError extends Error {}

function describe(path: PropertyKey[], file: unknown): string {
  const [first, index, ...rest] = path;
  if (first !== 'procedures' || typeof index !== 'number') return path.join('.') || '(file)';
  const entry = (file as { procedures?: { code?: unknown }[] }).procedures?.[index];
  const code = typeof entry?.code === 'string' ? ` (${entry.code})` : '';
  return `procedures[${index}]${code}${rest.length ? `.${rest.join('.')}` : ''}`;
}

/** Checks the file's parsed JSON; throws ProcedureCatalogueError naming the file and every bad entry. */
export function parseProcedureCatalogue(json: unknown, source: string): ProcedureCatalogue {
  const parsed = ProcedureCatalogueSchema.safeParse(json);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${describe(i.path, json)}: ${i.message}`);
    throw new ProcedureCatalogueError(
      `procedure catalogue ${source} is invalid:\n  - ${problems.join('\n  - ')}`,
    );
  }
  return catalogueOf(parsed.data);
}

/** The catalogue of an already checked file. */
export function catalogueOf(file: ProcedureCatalogueFile): ProcedureCatalogue {
  const days = new Map(file.procedures.map((p) => [p.code, p.workingDays]));
  return { workingDays: (code) => days.get(code), size: days.size };
}
