/**
 * `npm run bench`: every benchmark in one run, side by side, on this machine. Writes
 * bench-results/latest.json and bench-results/latest.md. Numbers are ratios measured in the same run;
 * nothing here is an assertion in `npm test`.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { removeTempDb } from '../../tests/helpers/gateway.js';
import { benchDeadlines } from './deadlines.js';
import { benchDedup } from './dedup.js';
import { benchDrain } from './drain.js';
import { fuzz } from './fuzz.js';
import { benchIntake } from './intake.js';
import { benchPostal } from './postal.js';
import { benchReconciliation } from './reconciliation.js';

const OUT = process.env.BENCH_OUT ?? 'bench-results';
const STORED = Number(process.env.BENCH_STORED ?? 1_000_000);
const TRANSFERS = Number(process.env.BENCH_TRANSFERS ?? 100_000);
const CAPACITY = Number(process.env.BENCH_CAPACITY ?? 12);
const FUZZ_RUNS = Number(process.env.BENCH_FUZZ_RUNS ?? 100_000);
const POSTAL_JOBS = Number(process.env.BENCH_POSTAL_JOBS ?? 100_000);
const DEADLINE_DOSSIERS = Number(process.env.BENCH_DEADLINE_DOSSIERS ?? STORED);
const RECONCILED = Number(process.env.BENCH_RECONCILIATION_DOSSIERS ?? 100_000);

const t0 = performance.now();
const machine = {
  cpus: cpus().length,
  cpuModel: cpus()[0]?.model ?? 'unknown',
  memoryGb: Math.round(totalmem() / 2 ** 30),
  node: process.version,
};
process.stdout.write(`bench: dedup (10,000 vs ${STORED.toLocaleString('en')} stored)…\n`);
const dedup = await benchDedup();
process.stdout.write(`bench: intake over HTTP with ${STORED.toLocaleString('en')} stored…\n`);
// On the dedup benchmark's database: it already holds the million dossiers (plus its measured intakes).
const intake = await benchIntake({ stored: STORED, seconds: 10, connections: 32, filled: dedup.dbPath });
removeTempDb(dedup.dbPath);
process.stdout.write(`bench: drain of ${TRANSFERS.toLocaleString('en')} transfers and restart…\n`);
const drain = await benchDrain({
  transfers: TRANSFERS,
  capacityPerSecond: CAPACITY,
  killAt: Math.floor(TRANSFERS * 0.8),
});
process.stdout.write(`bench: bad-input fuzzing, ${FUZZ_RUNS.toLocaleString('en')} inputs…\n`);
const fuzzed = await fuzz(FUZZ_RUNS);
process.stdout.write(`bench: postal claim + accept, ${POSTAL_JOBS.toLocaleString('en')} jobs waiting…\n`);
const postal = await benchPostal({ waiting: POSTAL_JOBS, seconds: 15, claimers: 4 });
process.stdout.write(
  `bench: deadline list and agency report over ${DEADLINE_DOSSIERS.toLocaleString('en')} dossiers…\n`,
);
const deadlines = await benchDeadlines({ stored: DEADLINE_DOSSIERS });
process.stdout.write(`bench: reconciliation run over ${RECONCILED.toLocaleString('en')} dossiers…\n`);
const reconciliation = await benchReconciliation({ dossiers: RECONCILED, concurrency: 8 });
const seconds = (performance.now() - t0) / 1000;

const result = {
  date: new Date().toISOString(),
  machine,
  seconds,
  dedup,
  intake,
  drain,
  fuzz: fuzzed,
  postal,
  deadlines,
  reconciliation,
};
mkdirSync(OUT, { recursive: true });
writeFileSync(join(OUT, 'latest.json'), `${JSON.stringify(result, null, 2)}\n`);
const pass = (ok: boolean) => (ok ? 'met' : '**not met**');
const md = `# Benchmark run ${result.date}

Machine: ${machine.cpus} × ${machine.cpuModel}, ${machine.memoryGb} GiB, Node ${machine.node}. Total ${seconds.toFixed(0)} s.

| benchmark | result | target | |
| --- | --- | --- | --- |
| dedup: time per intake, 10,000 stored | ${dedup.small.meanMs.toFixed(2)} ms (p50 ${dedup.small.p50Ms.toFixed(2)}) | | |
| dedup: time per intake, ${STORED.toLocaleString('en')} stored | ${dedup.large.meanMs.toFixed(2)} ms (p50 ${dedup.large.p50Ms.toFixed(2)}) | | |
| dedup: ratio | ${dedup.ratio.toFixed(2)} | ≤ 1.5 | ${pass(dedup.ratio <= 1.5)} |
| echo: requests/s | ${intake.echo.rps.toFixed(0)} (p99 ${intake.echo.p99} ms) | | |
| intake: requests/s | ${intake.intake.rps.toFixed(0)} (p50 ${intake.intake.p50} ms, p99 ${intake.intake.p99} ms) | | |
| intake: ratio to echo | ${intake.ratioToEcho.toFixed(3)} | ≥ 0.25 | ${pass(intake.ratioToEcho >= 0.25)} |
| intake: p99 at half the max rate, steady open-loop load (${intake.atHalfRate.targetRps}/s) | ${intake.atHalfRate.p99} ms (p50 ${intake.atHalfRate.p50} ms, max ${intake.atHalfRate.max} ms) | ≤ 50 ms | ${pass(intake.atHalfRate.p99 <= 50)} |
| intake: every 2xx answer stored | ${intake.nothingLost ? 'yes' : 'no'} (${intake.accepted} answers, ${intake.newSources} records) | | ${pass(intake.nothingLost)} |
| drain: rate (from the first delivery) | ${drain.drainRate.toFixed(0)} dossiers/s of ${drain.capacity.dossiersPerSecond}/s capacity (${drain.fromSpawn.drainFraction.toFixed(2)} counting the worker's ${drain.fromSpawn.startupMs} ms start-up) | | |
| drain: fraction of capacity | ${drain.drainFraction.toFixed(2)} | ≥ 0.9 | ${pass(drain.drainFraction >= 0.9)} |
| drain: worker peak memory (RSS) | ${drain.peakRssMb} MB | ≤ 300 MB | ${pass(drain.peakRssMb <= 300)} |
| drain: every dossier exactly once | ${drain.exactlyOnce ? 'yes' : 'no'} | | ${pass(drain.exactlyOnce)} |
| restart: SIGKILL during drain → deliveries resume | ${drain.restart.resumeMs} ms | | |
| postal: claim + accept over HTTP, ${postal.waiting.toLocaleString('en')} jobs waiting, ${postal.claimers} claimers | ${postal.jobsPerSecond.toFixed(0)} jobs/s (${postal.processed} in ${postal.seconds.toFixed(1)} s, ${postal.duplicates} accepted twice) | | |
| postal: \`resolved\` event sent → return job claimable | p50 ${postal.resolvedToClaimable.p50Ms.toFixed(1)} ms, max ${postal.resolvedToClaimable.maxMs.toFixed(1)} ms (after the event's answer: p50 ${postal.resolvedToClaimable.afterAnswerP50Ms.toFixed(1)} ms, ${postal.resolvedToClaimable.mostClaims} claim call(s) at most) | | |
${deadlines.timings
  .map(
    (t) =>
      `| deadlines: ${t.name}, ${deadlines.stored.toLocaleString('en')} stored (${deadlines.open.toLocaleString('en')} open) | ${t.meanMs.toFixed(1)} ms per request (p50 ${t.p50Ms.toFixed(1)}, max ${t.maxMs.toFixed(1)}; ${t.size} lines) | | |`,
  )
  .join('\n')}
| reconciliation: one run over ${reconciliation.dossiers.toLocaleString('en')} dossiers against the portal simulator (TraCuuHoSo, ${reconciliation.concurrency} in flight) | ${reconciliation.comparedPerSecond.toFixed(0)} dossiers compared/s (${reconciliation.compared} in ${reconciliation.seconds.toFixed(1)} s; opened ${JSON.stringify(reconciliation.opened)}) | | |
| fuzz: bad inputs against the running server | ${fuzzed.inputs} in ${fuzzed.seconds.toFixed(0)} s: ${fuzzed.failures.length} failures (5xx, non-problem errors, transport), invariants ${fuzzed.brokenInvariants.length === 0 ? 'hold' : 'BROKEN'}, server ${fuzzed.serverUp ? 'up' : 'DOWN'} | no 5xx, no partial write | ${pass(fuzzed.ok)} |
`;
writeFileSync(join(OUT, 'latest.md'), md);
process.stdout.write(`${md}\n`);
