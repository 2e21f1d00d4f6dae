/** The source reference of a record seen for the first time. */
import type { PushContext } from './intake.context.js';
import type { SourceRecord } from './source.store.js';

/** The source row of the pushed record, attached to `dossierId`. */
export function newSource(ctx: PushContext, dossierId: string): SourceRecord {
  return {
    dossierId,
    system: ctx.system,
    recordId: ctx.input.source.recordId,
    code: ctx.input.code ?? null,
    firstSeenAtMs: ctx.now,
    lastSeenAtMs: ctx.now,
    lastInput: { data: ctx.data, status: ctx.input.status },
  };
}
