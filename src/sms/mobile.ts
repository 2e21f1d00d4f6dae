/**
 * Whether an applicant's phone can take a notice: a Vietnamese mobile number (the 03x/05x/07x/08x/09x
 * ranges since the 2018 conversion), normalised to +84 by `checkPhone`. A landline (02x) cannot.
 */
import { checkPhone } from '../../schemas/identifiers.js';

export type MobileCheck =
  | { ok: true; phone: string }
  | { ok: false; reason: 'no_phone' | 'not_mobile' | 'invalid_phone' };

/** The +84 mobile number of `phone`, or why there is none. */
export function mobileOf(phone: string | undefined): MobileCheck {
  if (phone === undefined || phone.trim() === '') return { ok: false, reason: 'no_phone' };
  const checked = checkPhone(phone);
  if (!checked.ok) return { ok: false, reason: 'invalid_phone' };
  if (!/^\+84[35789]\d{8}$/.test(checked.value)) return { ok: false, reason: 'not_mobile' };
  return { ok: true, phone: checked.value };
}
