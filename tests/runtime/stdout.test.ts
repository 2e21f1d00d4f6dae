import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';

const ROOT = new URL('../..', import.meta.url).pathname;

/** Runs a short program against the stdout writer and returns what reached the pipe. */
function run(program: string) {
  return spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', program], {
    cwd: ROOT,
    encoding: 'utf8',
    timeout: 30_000,
  });
}

describe('log lines on stdout', () => {
  it('arrive whole and in order, one per line', () => {
    const res = run(
      "import { writeStdoutLine } from './src/runtime/node/stdout.ts'; for (let i = 0; i < 1000; i++) writeStdoutLine(JSON.stringify({ i })); setTimeout(() => writeStdoutLine('last'), 5);",
    );
    expect(res.status).toBe(0);
    const lines = res.stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(1001);
    expect(lines.slice(0, 1000).map((l) => JSON.parse(l).i)).toEqual(
      Array.from({ length: 1000 }, (_, i) => i),
    );
    expect(lines[1000]).toBe('last');
  });

  it('are not lost when the process exits in the same turn it wrote them', () => {
    const res = run(
      "import { writeStdoutLine } from './src/runtime/node/stdout.ts'; writeStdoutLine('fatal: cannot start'); process.exit(2);",
    );
    expect(res.status).toBe(2);
    expect(res.stdout).toBe('fatal: cannot start\n');
  });
});
