/**
 * The administrative-unit catalogue (34 provinces, their communes; two levels since 2025-07-01).
 * Loaded from a file the operator configures; without one, addresses get format checks only.
 */
import { z } from 'zod';

export const AdminUnitsFileSchema = z.object({
  provinces: z.array(
    z.object({
      code: z.string().regex(/^\d{2}$/),
      name: z.string(),
      units: z.array(z.object({ code: z.string().regex(/^\d{5}$/), name: z.string() })),
    }),
  ),
});

export interface AdminUnits {
  hasProvince(code: string): boolean;
  /** The province a commune belongs to, or undefined when the commune is unknown. */
  communeProvince(code: string): string | undefined;
}

/** Builds the catalogue from the parsed JSON of an admin-units file. */
export function adminUnitsFrom(json: unknown): AdminUnits {
  const parsed = AdminUnitsFileSchema.parse(json);
  const provinces = new Set(parsed.provinces.map((p) => p.code));
  const communes = new Map<string, string>();
  for (const p of parsed.provinces) for (const u of p.units) communes.set(u.code, p.code);
  return {
    hasProvince: (code) => provinces.has(code),
    communeProvince: (code) => communes.get(code),
  };
}
