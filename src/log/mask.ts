/**
 * Masks personal identifiers in anything that is logged: CCCD (12 digits), CMND (9), MST (10 or 13,
 * with or without the branch dash), passport numbers (a letter and 7 digits), Vietnamese phone numbers
 * in any of their written forms, and e-mail addresses. The last three digits (of an e-mail, the domain)
 * stay visible so operators can still tell records apart. A number is masked whatever it is glued to
 * (`HS-027090001234`, `027090001234-01`); only UUIDs and long hex hashes are left whole, so request ids
 * and log hashes stay readable.
 */

// Phones first (they may contain separators), then MST branches, then any run of 9–13 digits.
const PHONE = /(?<![\w.])\(?(?:\+84|0084|84|0)[\s.\-()]{0,2}[235789](?:[\s.\-()]{0,2}\d){7,9}(?!\w)/g;
const MST_BRANCH = /(?<!\d)\d{10}\s*-\s*\d{3}(?!\d)/g;
/** A UUID or a hex hash (kept as it is), or else a run of 9–13 digits not inside a longer run. */
const DIGITS_UNLESS_HEX =
  /([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}|[0-9a-fA-F]{32,})|(?<!\d)\d{9,13}(?!\d)/g;
const PASSPORT = /(?<![A-Za-z\d])[A-Za-z]\d{7}(?!\d)/g;
const EMAIL = /[\w.+%-]+@((?:[\w-]+\.)+[A-Za-z]{2,})/g;

function maskDigits(match: string): string {
  const digits = match.replace(/\D/g, '');
  return `***${digits.slice(-3)}`;
}

/** Replaces identifiers, phone numbers and e-mail addresses in a string with a masked form. */
export function maskText(text: string): string {
  return text
    .replace(EMAIL, (_m, domain: string) => `***@${domain}`)
    .replace(MST_BRANCH, maskDigits)
    .replace(PHONE, maskDigits)
    .replace(DIGITS_UNLESS_HEX, (m, hex: string | undefined) => (hex ? m : maskDigits(m)))
    .replace(PASSPORT, maskDigits);
}
