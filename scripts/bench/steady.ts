/**
 * An open-loop load at a steady rate: one request every 1/rate seconds whatever the answers do, each
 * latency counted from the moment the request was due (so a stall is charged to every request it
 * delays: no coordinated omission). autocannon's `overallRate` sends each second's budget in a burst
 * at the start of the second, which measures bursts of saturation, not a steady half load.
 */
import { Agent, request } from 'node:http';

export interface SteadyRequest {
  path: string;
  headers: Record<string, string>;
  body: string;
}

export interface SteadyResult {
  rps: number;
  p50: number;
  p99: number;
  max: number;
  ok: number;
  errors: number;
  non2xx: number;
}

export async function steadyLoad(o: {
  url: string;
  rate: number;
  seconds: number;
  connections: number;
  next: () => SteadyRequest;
}): Promise<SteadyResult> {
  const agent = new Agent({ keepAlive: true, maxSockets: o.connections });
  const target = new URL(o.url);
  const latencies: number[] = [];
  let ok = 0;
  let errors = 0;
  let non2xx = 0;
  const total = Math.floor(o.rate * o.seconds);
  const t0 = performance.now();
  const inFlight: Promise<void>[] = [];
  const fire = (due: number, r: SteadyRequest) =>
    new Promise<void>((done) => {
      const req = request(
        {
          agent,
          host: target.hostname,
          port: target.port,
          method: 'POST',
          path: r.path,
          headers: { ...r.headers, 'content-length': Buffer.byteLength(r.body) },
          timeout: 30_000,
        },
        (res) => {
          res.resume();
          res.on('end', () => {
            latencies.push(performance.now() - due);
            if ((res.statusCode ?? 0) >= 200 && (res.statusCode ?? 0) < 300) ok += 1;
            else non2xx += 1;
            done();
          });
        },
      );
      req.on('error', () => {
        errors += 1;
        done();
      });
      req.on('timeout', () => req.destroy(new Error('timeout')));
      req.end(r.body);
    });
  for (let i = 0; i < total; i++) {
    const due = t0 + (i * 1000) / o.rate;
    const wait = due - performance.now();
    if (wait > 1) await new Promise((r) => setTimeout(r, wait));
    inFlight.push(fire(due, o.next()));
  }
  await Promise.all(inFlight);
  const elapsed = (performance.now() - t0) / 1000;
  agent.destroy();
  latencies.sort((a, b) => a - b);
  const at = (q: number) =>
    Math.round(latencies[Math.min(latencies.length - 1, Math.floor(latencies.length * q))] ?? 0);
  return { rps: ok / elapsed, p50: at(0.5), p99: at(0.99), max: at(1), ok, errors, non2xx };
}
