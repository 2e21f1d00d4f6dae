/** Plain JSON values: the gateway's canonical data is made of nothing else. */

/** A deep copy without undefined members, with every string passed through `text`. */
function copy<T>(value: T, text: (s: string) => string): T {
  if (typeof value === 'string') return text(value) as T;
  if (Array.isArray(value)) return value.map((v) => copy(v, text)) as T;
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) if (v !== undefined) out[k] = copy(v, text);
    return out as T;
  }
  return value;
}

const same = (s: string) => s;
const nfc = (s: string) => s.normalize('NFC');

/**
 * A deep copy without undefined members, so that equal data serialises to equal text (the same as a
 * JSON round trip for plain values, at a fraction of its cost on the intake path).
 */
export function withoutUndefined<T>(value: T): T {
  return copy(value, same);
}

/**
 * The same deep copy with every string in Unicode NFC: a name typed in decomposed form (NFD, as some
 * systems send it) is stored, compared and sent exactly like the composed one (docs/domain.md).
 */
export function canonicalText<T>(value: T): T {
  return copy(value, nfc);
}
