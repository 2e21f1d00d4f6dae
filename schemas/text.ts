/** Free text as people type it, and the checks every text field of the API runs (docs/domain.md). */
import { z } from '@hono/zod-openapi';

/** C0 and C1 control characters; a multi-line field allows line feed, carriage return and tab. */
const CONTROL = /\p{Cc}/u;
const CONTROL_MULTILINE = /(?![\n\r\t])\p{Cc}/u;
/** Bidirectional embeddings, overrides and isolates: they make text read other than it is stored. */
const BIDI = /[\u202a-\u202e\u2066-\u2069]/;
/** Characters that show nothing: a value made only of these (and spaces) is empty. */
const INVISIBLE =
  /\u034f|[\s\u00ad\u061c\u115f\u1160\u17b4\u17b5\u180e\u200b-\u200f\u2060-\u2064\u3164\ufeff\uffa0]/gu;

/**
 * Free text as people type it (docs/domain.md): no control characters (line breaks only where the field
 * allows them), no bidirectional controls, not only invisible characters. Stored in NFC (intake
 * normalises every text of a dossier), so the same name typed on two systems compares equal.
 */
export const cleanText = (s: z.ZodString, multiline = false) =>
  s
    .refine((v) => !(multiline ? CONTROL_MULTILINE : CONTROL).test(v), {
      message: 'control characters are not allowed here',
      params: { rule: 'control_character' },
    })
    .refine((v) => !BIDI.test(v), {
      message: 'bidirectional control characters are not allowed',
      params: { rule: 'bidi_control' },
    })
    .refine((v) => v === '' || v.replace(INVISIBLE, '') !== '', {
      message: 'the text is made only of invisible characters',
      params: { rule: 'invisible_only' },
    });

/** One line of text, trimmed, 1 to `max` characters. */
export const text = (max: number) => cleanText(z.string().trim().min(1).max(max));
/** Text with line breaks, trimmed, at most `max` characters. */
export const longText = (max: number) => cleanText(z.string().trim().max(max), true);
