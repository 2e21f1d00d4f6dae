/**
 * What the portal's answers mean (docs/reconciliation.md): a dossier the portal does not hold opens
 * `missing_at_portal`; one it holds closes it, and its status code opens or closes `status_mismatch`.
 * Only answers the portal gave are used: a failed look-up never reaches here.
 */
import type { PortalLookupOutcome } from '../transfers/portal.port.js';
import type { ComparedDossier } from './compare.store.js';
import { findOpenBySubjects, type RunFinding } from './finding.store.js';
import { expectedPortalStatus, portalStatusOf } from './portal-status.js';
import { closeFindings, type FindingWrite, openFindings } from './record-findings.js';

export interface PortalVerdict {
  dossier: ComparedDossier;
  outcome: PortalLookupOutcome;
}

const subjectOf = (d: ComparedDossier) => `dossier:${d.id}`;

const finding = (kind: string, d: ComparedDossier, detail: string): RunFinding => ({
  kind,
  subject: subjectOf(d),
  dossierId: d.id,
  agency: d.agency,
  detail,
});

export async function decide(w: FindingWrite, verdicts: readonly PortalVerdict[]): Promise<void> {
  const open: RunFinding[] = [];
  const cleared: { kind: string; subject: string }[] = [];
  for (const { dossier: d, outcome } of verdicts) {
    if (outcome.kind !== 'ok') continue;
    if (!outcome.held) {
      open.push(finding('missing_at_portal', d, 'the portal does not hold the dossier (TraCuuHoSo)'));
      continue;
    }
    cleared.push({ kind: 'missing_at_portal', subject: subjectOf(d) });
    const expected = expectedPortalStatus(d.status);
    const actual = portalStatusOf(outcome.result);
    if (expected === undefined || actual === undefined) continue;
    if (expected === actual) cleared.push({ kind: 'status_mismatch', subject: subjectOf(d) });
    else
      open.push(finding('status_mismatch', d, `gateway status ${d.status} (${expected}), portal ${actual}`));
  }
  for (const kind of ['missing_at_portal', 'status_mismatch']) {
    const subjects = cleared.filter((c) => c.kind === kind).map((c) => c.subject);
    const found = await findOpenBySubjects(w.trx, kind, subjects);
    await closeFindings(
      w,
      [...found.values()].map((f) => ({ id: f.id, kind, dossierId: f.dossierId })),
    );
  }
  await openFindings(w, open);
}
