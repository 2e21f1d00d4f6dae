/**
 * Stored text as the CLI prints it: control characters, bidirectional controls and other invisible
 * format characters are shown as `\u{…}` escapes, so a name in the database can neither move the
 * terminal's cursor, change its colours, nor make a line read other than it is stored.
 */
const HIDDEN = /[\p{Cc}\p{Cf}\u2028\u2029]/gu;

/** `value` with every control or format character escaped (`\u{1b}`); a backslash is doubled. */
export function shown(value: string): string {
  return value
    .replace(/\\/g, '\\\\')
    .replace(HIDDEN, (ch) => `\\u{${(ch.codePointAt(0) ?? 0).toString(16)}}`);
}
