/**
 * Checks a pushed dossier's addresses against the administrative-unit catalogue the operator configured
 * (format checks already ran in the schema). A known commune fills in its province.
 */
import type { Address, DossierInput } from '../../schemas/dossier.js';
import { type FieldError, Validation } from '../lib/errors.js';
import type { AdminUnits } from './admin-units.js';

function checkAddress(units: AdminUnits, a: Address | undefined, path: string, errors: FieldError[]): void {
  if (!a) return;
  if (a.provinceCode && !units.hasProvince(a.provinceCode)) {
    errors.push({
      path: `${path}.provinceCode`,
      rule: 'province_unknown',
      message: `no province ${a.provinceCode}`,
    });
  }
  if (!a.communeCode) return;
  const province = units.communeProvince(a.communeCode);
  if (!province) {
    errors.push({
      path: `${path}.communeCode`,
      rule: 'commune_unknown',
      message: `no commune ${a.communeCode}`,
    });
  } else if (a.provinceCode && a.provinceCode !== province) {
    errors.push({
      path: `${path}.communeCode`,
      rule: 'commune_province_mismatch',
      message: `commune ${a.communeCode} belongs to province ${province}, not ${a.provinceCode}`,
    });
  } else {
    a.provinceCode = province;
  }
}

/** Throws Validation listing every unknown unit; without a catalogue it checks nothing. */
export function checkAddresses(units: AdminUnits | undefined, input: DossierInput): void {
  if (!units) return;
  const errors: FieldError[] = [];
  checkAddress(units, input.applicant.address, 'applicant.address', errors);
  checkAddress(units, input.resultReturn.address, 'resultReturn.address', errors);
  if (errors.length > 0) throw new Validation(errors);
}
