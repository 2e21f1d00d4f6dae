/**
 * The portal half of a run (docs/reconciliation.md): every dossier changed in the period, and every
 * dossier with an open portal finding, is looked up with TraCuuHoSo through the portal port, at most
 * `concurrency` at a time. A dossier with a portal transfer not delivered yet is skipped (the portal may
 * not have it yet). The first outage or configuration fault stops the comparison: the run records that
 * it could not compare, and nothing is opened or closed from an answer it did not get.
 */
import { findDestination } from '../transfers/destination.store.js';
import type { PortalLookupOutcome, PortalLookupPort } from '../transfers/portal.port.js';
import { type ComparedDossier, selectChangedDossiers, selectDossiersForComparison } from './compare.store.js';
import { decide, type PortalVerdict } from './decide-portal-findings.js';
import { findOpenDossierIds } from './finding.store.js';
import type { RunContext, Tally } from './reconciliation.context.js';

export const PORTAL_KINDS = ['missing_at_portal', 'status_mismatch'] as const;
const PAGE = 200;
/** At most this many pages per run (200 × 2,500 = 500,000 dossiers); the rest waits for the next run. */
const MAX_PAGES = 2_500;

export interface Comparison {
  portal: 'compared' | 'partial' | 'not_compared';
  reason: string | null;
  compared: number;
  skipped: number;
}

interface Pass {
  ctx: RunContext;
  portal: PortalLookupPort;
  runId: string;
  tally: Tally;
  result: Comparison;
}

/** Looks up `items` with at most `n` calls in flight; stops early after a failure of the whole portal. */
async function lookUpAll(
  pass: Pass,
  items: readonly ComparedDossier[],
): Promise<{ verdicts: PortalVerdict[]; failure?: string }> {
  const verdicts: PortalVerdict[] = [];
  let failure: string | undefined;
  let next = 0;
  const lane = async () => {
    while (failure === undefined && next < items.length) {
      const d = items[next++] as ComparedDossier;
      const outcome: PortalLookupOutcome = await pass.portal.lookup(d.code);
      if (outcome.kind === 'outage' || outcome.kind === 'config_fault') {
        failure ??= `${outcome.kind}: ${outcome.message}`;
        return;
      }
      verdicts.push({ dossier: d, outcome });
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, pass.ctx.config.concurrency) }, lane));
  return failure === undefined ? { verdicts } : { verdicts, failure };
}

/** Compares one page; false when the portal failed and the comparison must stop. */
async function comparePage(pass: Pass, page: readonly ComparedDossier[]): Promise<boolean> {
  const ready = page.filter((d) => d.undelivered === 0);
  pass.result.skipped += page.length - ready.length;
  const { verdicts, failure } = await lookUpAll(pass, ready);
  const answered = verdicts.filter((v) => v.outcome.kind === 'ok');
  pass.result.skipped += verdicts.length - answered.length;
  pass.result.compared += answered.length;
  if (answered.length > 0) {
    const now = pass.ctx.clock.now();
    await pass.ctx.store.transaction((trx) =>
      decide({ trx, now, runId: pass.runId, tally: pass.tally }, answered),
    );
  }
  if (failure === undefined) return true;
  pass.result.portal = pass.result.compared > 0 ? 'partial' : 'not_compared';
  pass.result.reason = failure;
  return false;
}

/** Why the portal cannot be compared before any call, if it cannot. */
async function unavailable(ctx: RunContext): Promise<string | undefined> {
  if (!ctx.portal) return 'no_portal: no portal is configured for this process';
  const d = await findDestination(ctx.store.db, 'portal');
  if (d?.circuit === 'open' && (d.open_until_ms ?? 0) > ctx.clock.now()) {
    return `circuit_open: the portal's circuit is open${d.alert ? ` (${d.alert})` : ''}`;
  }
  return undefined;
}

/** Dossiers with an open portal finding: looked at again whatever their change time. */
async function recheckOpen(pass: Pass): Promise<boolean> {
  let after = '';
  for (let i = 0; i < MAX_PAGES; i++) {
    const ids = await findOpenDossierIds(pass.ctx.store.db, PORTAL_KINDS, after, PAGE);
    if (ids.length === 0) return true;
    after = ids[ids.length - 1] as string;
    if (!(await comparePage(pass, await selectDossiersForComparison(pass.ctx.store.db, ids)))) return false;
  }
  return true;
}

export async function compareWithPortal(
  ctx: RunContext,
  run: { id: string; periodFromMs: number; periodToMs: number },
  tally: Tally,
): Promise<Comparison> {
  const result: Comparison = { portal: 'compared', reason: null, compared: 0, skipped: 0 };
  const why = await unavailable(ctx);
  if (why || !ctx.portal) return { ...result, portal: 'not_compared', reason: why ?? 'no_portal' };
  const pass: Pass = { ctx, portal: ctx.portal, runId: run.id, tally, result };
  if (!(await recheckOpen(pass))) return result;
  let after: { atMs: number; id: string } | null = null;
  for (let i = 0; i < MAX_PAGES; i++) {
    const page = await selectChangedDossiers(ctx.store.db, {
      fromMs: run.periodFromMs,
      toMs: run.periodToMs,
      after,
      limit: PAGE,
    });
    if (page.length === 0) break;
    const last = page[page.length - 1] as ComparedDossier;
    after = { atMs: last.updatedAtMs, id: last.id };
    if (!(await comparePage(pass, page))) break;
  }
  return result;
}
