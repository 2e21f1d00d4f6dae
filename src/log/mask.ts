/**
 * Masks personal identifiers in anything that is logged: CCCD (12 digits), CMND (9), MST (10 or 13,
 * with or without the branch dash) and Vietnamese phone numbers in any of their written forms.
 * The last three digits stay visible so operators can still tell records apart.
 */

// Phones first (they may contain separators), then any bare run of 9–13 digits.
const PHONE = /(?<![\w.])\(?(?:\+84|0084|84|0)[\s.\-()]{0,2}[235789](?:[\s.\-()]{0,2}\d){7,9}(?!\w)/g;
const MST_BRANCH = /(?<!\d)\d{10}\s*-\s*\d{3}(?!\d)/g;
// Not inside hex words such as UUIDs or hashes (request ids must stay readable).
const DIGIT_RUN = /(?<![\dA-Fa-f.-])\d{9,13}(?![\dA-Fa-f-])/g;

function maskDigits(match: string): string {
  const digits = match.replace(/\D/g, '');
  return `***${digits.slice(-3)}`;
}

/** Replaces identifiers and phone numbers in a string with a masked form. */
export function maskText(text: string): string {
  return text.replace(MST_BRANCH, maskDigits).replace(PHONE, maskDigits).replace(DIGIT_RUN, maskDigits);
}
