/**
 * The gateway's configuration, parsed once from the environment at the entry point.
 * Nothing reads `process.env` anywhere else; the parsed `Config` is passed down explicitly.
 */
import { z } from 'zod';

const port = z.coerce.number().int().min(0).max(65535);
const positiveInt = z.coerce.number().int().positive();
const optionalString = z
  .string()
  .trim()
  .transform((v) => (v === '' ? undefined : v))
  .optional();

export const LOG_LEVELS = ['debug', 'info', 'warn', 'error', 'silent'] as const;

export const EnvSchema = z.object({
  HOST: z.string().trim().min(1).default('127.0.0.1'),
  PORT: port.default(8080),
  DB_PATH: z.string().trim().min(1).default('./data/lienthong.db'),
  LOG_LEVEL: z.enum(LOG_LEVELS).default('info'),
  BODY_LIMIT_BYTES: positiveInt.default(1024 * 1024),
  IDEMPOTENCY_TTL_HOURS: z.coerce.number().min(24).default(24),
  ADMIN_UNITS_PATH: optionalString,
  SHUTDOWN_TIMEOUT_MS: positiveInt.default(10_000),
  SANDBOX_DEMO_CLIENTS: z
    .enum(['true', 'false'])
    .default('true')
    .transform((v) => v === 'true'),
  PORTAL_URL: optionalString.pipe(z.url().optional()),
  PORTAL_USERNAME: optionalString,
  PORTAL_PASSWORD: optionalString,
  PORTAL_DSTCODE: optionalString,
  PORTAL_MADONVI: optionalString,
});

export type Env = z.output<typeof EnvSchema>;

/** Runtime configuration derived from the environment. */
export interface Config {
  host: string;
  port: number;
  dbPath: string;
  logLevel: (typeof LOG_LEVELS)[number];
  bodyLimitBytes: number;
  idempotencyTtlMs: number;
  adminUnitsPath: string | undefined;
  shutdownTimeoutMs: number;
  sandbox: boolean;
  sandboxDemoClients: boolean;
  portal: { url: string; username: string; password: string; dstcode: string; madonvi: string } | undefined;
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** Parses and checks an environment record; throws ConfigError naming every bad variable. */
export function parseConfig(env: Record<string, string | undefined>): Config {
  const parsed = EnvSchema.safeParse(env);
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((issue) => `${issue.path.join('.') || '(environment)'}: ${issue.message}`),
    );
  }
  const e = parsed.data;
  let portal: Config['portal'];
  if (e.PORTAL_URL) {
    const missing = (
      ['PORTAL_USERNAME', 'PORTAL_PASSWORD', 'PORTAL_DSTCODE', 'PORTAL_MADONVI'] as const
    ).filter((name) => !e[name]);
    if (missing.length > 0) {
      throw new ConfigError(missing.map((name) => `${name}: required when PORTAL_URL is set`));
    }
    portal = {
      url: e.PORTAL_URL,
      username: e.PORTAL_USERNAME ?? '',
      password: e.PORTAL_PASSWORD ?? '',
      dstcode: e.PORTAL_DSTCODE ?? '',
      madonvi: e.PORTAL_MADONVI ?? '',
    };
  }
  return {
    host: e.HOST,
    port: e.PORT,
    dbPath: e.DB_PATH,
    logLevel: e.LOG_LEVEL,
    bodyLimitBytes: e.BODY_LIMIT_BYTES,
    idempotencyTtlMs: e.IDEMPOTENCY_TTL_HOURS * 3600_000,
    adminUnitsPath: e.ADMIN_UNITS_PATH,
    shutdownTimeoutMs: e.SHUTDOWN_TIMEOUT_MS,
    sandbox: portal === undefined,
    sandboxDemoClients: e.SANDBOX_DEMO_CLIENTS,
    portal,
  };
}
