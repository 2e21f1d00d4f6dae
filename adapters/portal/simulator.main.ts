/**
 * Runs the portal simulator as its own process, for demos and for tests that steer it over HTTP
 * (`/__sim/...`). Reads HOST, PORT, PORTAL_USERNAME, PORTAL_PASSWORD and optionally PORTAL_DSTCODE,
 * PORTAL_MADONVI, PORTAL_SESSION_TTL_MS (the simulated portal's own session lifetime), PORTAL_AUTH_PATH and
 * PORTAL_INTEGRATION_PATH; prints one JSON line `{"url": …, "username": …}` once it listens.
 *
 *   PORTAL_USERNAME=demo PORTAL_PASSWORD=secret node --import tsx adapters/portal/simulator.main.ts
 */
import { z } from 'zod';
import { startPortalSimulator } from './simulator.js';

const optional = z
  .string()
  .trim()
  .transform((v) => (v === '' ? undefined : v))
  .optional();

const EnvSchema = z.object({
  HOST: z.string().trim().min(1).default('127.0.0.1'),
  PORT: z.coerce.number().int().min(0).max(65535).default(0),
  PORTAL_USERNAME: z.string().trim().min(1),
  PORTAL_PASSWORD: z.string().min(1),
  PORTAL_DSTCODE: optional,
  PORTAL_MADONVI: optional,
  PORTAL_SESSION_TTL_MS: z.coerce.number().int().positive().optional(),
  PORTAL_AUTH_PATH: optional,
  PORTAL_INTEGRATION_PATH: optional,
});

async function main(): Promise<void> {
  const env = EnvSchema.safeParse(process.env);
  if (!env.success) {
    console.error(`portal simulator: bad environment\n${z.prettifyError(env.error)}`);
    process.exitCode = 2;
    return;
  }
  const e = env.data;
  const simulator = await startPortalSimulator({
    host: e.HOST,
    port: e.PORT,
    username: e.PORTAL_USERNAME,
    password: e.PORTAL_PASSWORD,
    dstcode: e.PORTAL_DSTCODE,
    madonvi: e.PORTAL_MADONVI,
    ...(e.PORTAL_SESSION_TTL_MS ? { sessionTtlMs: e.PORTAL_SESSION_TTL_MS } : {}),
    authPath: e.PORTAL_AUTH_PATH,
    integrationPath: e.PORTAL_INTEGRATION_PATH,
  });
  console.log(JSON.stringify({ url: simulator.url, username: e.PORTAL_USERNAME }));
  const stop = () => {
    simulator.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

await main();
