/**
 * Sandbox mode's departmental simulators move a dossier they received by themselves (docs/departments.md,
 * Simulators and sandbox): a few seconds after it arrives, processing; as long again, resolved. Each step
 * goes to the gateway through the simulator's own `reportProgress`, as its system. Timers stop with it.
 */
import type { DossierStatus } from '../../schemas/dossier.js';

/** An instant in the canonical `yyyy-MM-ddTHH:mm:ss+07:00` form, to the second (Vietnam is UTC+7). */
function vnInstant(ms: number): string {
  return `${new Date(ms + 7 * 3_600_000).toISOString().slice(0, 19)}+07:00`;
}

export type ReportStep = (
  recordId: string,
  step: { status: DossierStatus; at: string; note?: string },
) => Promise<unknown>;

export interface SelfAdvance {
  /** Schedules the steps of a newly received record. */
  schedule(recordId: string): void;
  stop(): void;
}

const STEPS: { status: DossierStatus; note: string }[] = [
  { status: 'processing', note: 'Đang thẩm định (giả lập)' },
  { status: 'resolved', note: 'Đã giải quyết xong (giả lập)' },
];

export function selfAdvance(
  report: ReportStep,
  options: { delayMs: number; now?: () => number; onError?: (error: unknown) => void },
): SelfAdvance {
  const timers = new Set<NodeJS.Timeout>();
  const now = options.now ?? Date.now;
  const later = (ms: number, run: () => Promise<void>) => {
    const timer = setTimeout(() => {
      timers.delete(timer);
      run().catch((error: unknown) => options.onError?.(error));
    }, ms);
    timer.unref();
    timers.add(timer);
  };
  return {
    schedule(recordId) {
      const next = (i: number) => {
        const step = STEPS[i];
        if (!step) return;
        later(options.delayMs, async () => {
          await report(recordId, { ...step, at: vnInstant(now()) });
          next(i + 1);
        });
      };
      next(0);
    },
    stop() {
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
    },
  };
}
