/** The one error the portal mappings throw: which dossier, which portal field, from which canonical field. */
import type { z } from 'zod';

export class PortalMappingError extends Error {
  override readonly name = 'PortalMappingError';

  constructor(
    /** The dossier code (MaHoSo), when known. */
    readonly code: string | undefined,
    /** The portal field that could not be made valid, e.g. `NgayHenTra` or `TaiLieuNop.0.TenTepDinhKem`. */
    readonly field: string,
    /** The canonical field it comes from, e.g. `dossier.dueAt`, when there is one. */
    readonly source: string | undefined,
    readonly reason: string,
  ) {
    super(
      `cannot map dossier ${code ?? '(no code)'} to the portal format: ${field}${source ? ` (from ${source})` : ''}: ${reason}`,
    );
  }
}

/** Dotted path of a zod issue, e.g. `TaiLieuNop.0.DuocSoHoa`. */
export function issuePath(issue: z.core.$ZodIssue): string {
  return issue.path.map(String).join('.') || '(object)';
}
