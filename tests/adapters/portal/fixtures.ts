/** Valid portal wire objects for adapter tests, made by the real mappings from canonical payloads. */

import { toPortalDossier, toPortalProgress } from '../../../mappings/portal/index.js';
import type { DossierStatus } from '../../../schemas/dossier.js';
import type { DossierSyncPayload, PortalDossier, PortalProgress } from '../../../schemas/portal.js';

/** A dossier code of the demo agency: `000.00.15.H24-261128-000n`. */
export function dossierCode(n: number): string {
  return `000.00.15.H24-261128-${String(n).padStart(4, '0')}`;
}

export function syncPayload(code: string, status: DossierStatus = 'received'): DossierSyncPayload {
  return {
    op: 'insert',
    version: 1,
    code,
    status,
    statusAt: '2026-11-28T08:30:00+07:00',
    dossier: {
      procedure: { code: '1.004227', name: 'Cấp giấy phép xây dựng' },
      agency: { code: '000.00.15.H24', name: 'Sở Xây dựng' },
      applicant: { type: 'citizen', fullName: 'Nguyễn Văn An', idNumber: '027090000123', idKind: 'cccd' },
      channel: 'counter',
      receivedAt: '2026-11-28T08:30:00+07:00',
      dueAt: '2026-12-05T17:00:00+07:00',
      resultReturn: { method: 'counter' },
      documents: [{ name: 'Đơn đề nghị', digitized: true }],
      fees: [{ name: 'Lệ phí', amount: 50_000 }],
    },
  };
}

export function dossierObject(code: string, status: DossierStatus = 'received'): PortalDossier {
  return toPortalDossier(syncPayload(code, status));
}

/** A progress step `minutes` after reception. */
export function progressRecord(code: string, status: DossierStatus, minutes: number): PortalProgress {
  const at = new Date(Date.parse('2026-11-28T08:30:00+07:00') + minutes * 60_000).toISOString();
  return toPortalProgress({
    code,
    historyId: minutes,
    status,
    at,
    receivedAt: '2026-11-28T08:30:00+07:00',
    dueAt: '2026-12-05T17:00:00+07:00',
  });
}
