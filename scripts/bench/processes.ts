/** Starting and stopping the processes a benchmark measures (loopback only, stopped by PID). */
import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';

export interface Proc {
  child: ChildProcess;
  url: string;
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

/** Starts `node --import tsx <entry>` and waits for its JSON "listening" line (or the `ready` message). */
export function startNode(
  entry: string,
  env: Record<string, string>,
  cwd: string,
  ready = 'listening',
): Promise<Proc> {
  // BENCH_PROFILE_DIR=dir writes a V8 CPU profile of every measured process there (open it in DevTools).
  const profile = process.env.BENCH_PROFILE_DIR
    ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_PROFILE_DIR}`]
    : [];
  const child = spawn(process.execPath, [...profile, '--import', 'tsx', entry], {
    cwd,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${entry} did not start:\n${out}`)), 60_000);
    child.stderr?.on('data', (c: Buffer) => {
      if (process.env.BENCH_STDERR) process.stderr.write(c);
      out += c.toString();
    });
    child.stdout?.on('data', (c: Buffer) => {
      if (out.length < 100_000) out += c.toString();
      const line = out.split('\n').find((l) => l.includes(`"msg":"${ready}"`));
      if (line) {
        clearTimeout(timer);
        const url = (JSON.parse(line) as { url?: string }).url ?? '';
        out = '';
        resolve({
          child,
          url,
          stop: async (signal = 'SIGTERM') => {
            if (child.exitCode === null) child.kill(signal);
            return exited;
          },
        });
      }
    });
    child.on('exit', (code) => reject(new Error(`${entry} exited with ${code}:\n${out}`)));
  });
}

/** CPU time (user + system) a process has used so far, in µs (Linux `/proc`; undefined elsewhere). */
export function cpuUsOf(pid: number | undefined): number | undefined {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
    // utime and stime are fields 14 and 15 of the line, in clock ticks (100 per second on Linux).
    return (Number(fields[11]) + Number(fields[12])) * 10_000;
  } catch {
    return undefined;
  }
}
