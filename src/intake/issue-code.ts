/**
 * Dossier codes: `<agency id>-<yyMMdd of receipt in Vietnam>-<4-digit sequence>` (docs/domain.md).
 * The per-agency daily counter only moves forward; a code a source already used itself is skipped.
 */
import { Unprocessable } from '../lib/errors.js';
import { vnDayCode } from '../lib/time.js';
import type { Db } from '../store/store.js';
import { isCodeTaken, nextDailySequence } from './code.store.js';

export const MAX_DAILY_SEQUENCE = 9999;

/** Issues the next free code of `agency` for the day a dossier was received. */
export async function issueCode(db: Db, agency: string, receivedMs: number): Promise<string> {
  const day = vnDayCode(receivedMs);
  for (;;) {
    const seq = await nextDailySequence(db, agency, day);
    if (seq > MAX_DAILY_SEQUENCE) {
      throw new Unprocessable(`agency ${agency} has used all ${MAX_DAILY_SEQUENCE} dossier codes of ${day}`);
    }
    const code = `${agency}-${day}-${String(seq).padStart(4, '0')}`;
    if (!(await isCodeTaken(db, code))) return code;
  }
}
