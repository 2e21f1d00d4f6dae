/** Log lines to stdout, batched per turn of the event loop. */
const pendingLines: string[] = [];
let flushScheduled = false;

function flushStdout(): void {
  flushScheduled = false;
  if (pendingLines.length === 0) return;
  const chunk = pendingLines.join('');
  pendingLines.length = 0;
  process.stdout.write(chunk);
}
process.on('exit', flushStdout);

/**
 * Writes one log line to stdout. The lines of one turn of the event loop leave in one write: a busy
 * gateway logs a line per request, and a write per line (synchronous on pipes) cost ~10% of intake
 * throughput. Whatever is pending is written when the process exits.
 */
export function writeStdoutLine(line: string): void {
  pendingLines.push(`${line}\n`);
  if (flushScheduled) return;
  flushScheduled = true;
  setImmediate(flushStdout);
}
