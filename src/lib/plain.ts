/** Plain JSON values: the gateway's canonical data is made of nothing else. */

/**
 * A deep copy without undefined members, so that equal data serialises to equal text (the same as a
 * JSON round trip for plain values, at a fraction of its cost on the intake path).
 */
export function withoutUndefined<T>(value: T): T {
  if (Array.isArray(value)) return value.map(withoutUndefined) as T;
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) if (v !== undefined) out[k] = withoutUndefined(v);
    return out as T;
  }
  return value;
}

/**
 * The same deep copy with every string in Unicode NFC: a name typed in decomposed form (NFD, as some
 * systems send it) is stored, compared and sent exactly like the composed one (docs/domain.md).
 */
export function canonicalText<T>(value: T): T {
  if (typeof value === 'string') return value.normalize('NFC') as T;
  if (Array.isArray(value)) return value.map(canonicalText) as T;
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) if (v !== undefined) out[k] = canonicalText(v);
    return out as T;
  }
  return value;
}
