/**
 * The gateway's configuration, parsed once from the environment at the entry point.
 * Nothing reads `process.env` anywhere else; the parsed `Config` is passed down explicitly.
 */
import { z } from 'zod';
import { PORTAL_FEE_AMOUNT_FORMATS, type PortalFeeAmountFormat } from './portal.js';

const port = z.coerce.number().int().min(0).max(65535);
const positiveInt = z.coerce.number().int().positive();
const optionalString = z
  .string()
  .trim()
  .transform((v) => (v === '' ? undefined : v))
  .optional();

/** A path after PORTAL_URL: starts with `/`, no query or fragment. */
const urlPath = z
  .string()
  .trim()
  .regex(/^\/[^\s?#]*$/, 'must be a path starting with "/", without a query');

const jsonObject = <T extends z.ZodType>(schema: T) =>
  z
    .string()
    .transform((text, ctx) => {
      try {
        return JSON.parse(text) as unknown;
      } catch {
        ctx.addIssue({ code: 'custom', message: 'must be a JSON object' });
        return z.NEVER;
      }
    })
    .pipe(schema);

const unit = z.number().min(0).max(1);
export const DedupWeightsSchema = z
  .object({ name: unit, phone: unit, address: unit, agency: unit, documents: unit })
  .strict();
export type DedupWeights = z.output<typeof DedupWeightsSchema>;
export const DEFAULT_DEDUP_WEIGHTS: DedupWeights = {
  name: 0.4,
  phone: 0.2,
  address: 0.15,
  agency: 0.1,
  documents: 0.15,
};

/** Which kind of system has the last word on a field when two systems disagree. */
export const AUTHORITY_FIELDS = [
  'code',
  'receivedAt',
  'dueAt',
  'channel',
  'status',
  'summary',
  'applicant',
  'documents',
  'fees',
  'resultReturn',
] as const;
export const DedupAuthoritySchema = z.partialRecord(
  z.enum(AUTHORITY_FIELDS),
  z.enum(['onestop', 'specialized']),
);
export type DedupAuthority = z.output<typeof DedupAuthoritySchema>;
export const DEFAULT_DEDUP_AUTHORITY: DedupAuthority = {
  code: 'onestop',
  receivedAt: 'onestop',
  dueAt: 'onestop',
  channel: 'onestop',
  status: 'specialized',
};

export const LOG_LEVELS = ['debug', 'info', 'warn', 'error', 'silent'] as const;

/** The shortest key that signs the reconciliation log's checkpoints. */
export const LOG_KEY_MIN_BYTES = 32;

/**
 * The bytes of a secret key written as hex or as base64 (standard or URL-safe alphabet), or a sentence
 * saying why the text is no key. Hex is tried first: an even number of hex digits is read as hex.
 */
export function decodeKeyText(text: string): Uint8Array | string {
  const t = text.trim();
  let bytes: Uint8Array | undefined;
  if (/^(?:[0-9a-fA-F]{2})+$/.test(t)) {
    bytes = new Uint8Array(t.length / 2);
    for (let i = 0; i < bytes.length; i++) bytes[i] = Number.parseInt(t.slice(2 * i, 2 * i + 2), 16);
  } else if (/^[A-Za-z0-9+/_-]+={0,2}$/.test(t)) {
    try {
      const bin = atob(t.replace(/-/g, '+').replace(/_/g, '/'));
      bytes = Uint8Array.from(bin, (c) => c.charCodeAt(0));
    } catch {
      bytes = undefined;
    }
  }
  if (!bytes) return 'must be hex or base64';
  if (bytes.length < LOG_KEY_MIN_BYTES) {
    return `must hold at least ${LOG_KEY_MIN_BYTES} bytes (it holds ${bytes.length})`;
  }
  return bytes;
}

/** The bytes of the key that seals destination credentials (exactly 32, hex or base64), or why not. */
export function decodeSecretKey(text: string): Uint8Array | string {
  const bytes = decodeKeyText(text);
  if (typeof bytes === 'string') return bytes.startsWith('must hold') ? 'must hold exactly 32 bytes' : bytes;
  return bytes.length === 32 ? bytes : `must hold exactly 32 bytes (it holds ${bytes.length})`;
}

const destinationKey = z
  .string()
  .trim()
  .transform((text, ctx) => {
    if (text === '') return undefined;
    const key = decodeSecretKey(text);
    if (typeof key === 'string') {
      ctx.addIssue({ code: 'custom', message: key });
      return z.NEVER;
    }
    return key;
  })
  .optional();

const secretKey = z
  .string()
  .trim()
  .transform((text, ctx) => {
    if (text === '') return undefined;
    const key = decodeKeyText(text);
    if (typeof key === 'string') {
      ctx.addIssue({ code: 'custom', message: key });
      return z.NEVER;
    }
    return key;
  })
  .optional();

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
  DEDUP_WINDOW_DAYS: z.coerce.number().positive().max(60).default(3),
  DEDUP_MERGE_THRESHOLD: z.coerce.number().min(0).max(1).default(0.8),
  DEDUP_REVIEW_THRESHOLD: z.coerce.number().min(0).max(1).default(0.5),
  DEDUP_NAME_VETO: z.coerce.number().min(0).max(1).default(0.95),
  DEDUP_WEIGHTS: jsonObject(DedupWeightsSchema).optional(),
  DEDUP_AUTHORITY: jsonObject(DedupAuthoritySchema).optional(),
  ONESTOP_SYSTEMS: z
    .string()
    .default('motcua')
    .transform((v) =>
      v
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean),
    ),
  WORKER_ENABLED: z
    .enum(['true', 'false'])
    .default('true')
    .transform((v) => v === 'true'),
  WORKER_CONCURRENCY: positiveInt.max(64).default(4),
  WORKER_LEASE_MS: positiveInt.default(60_000),
  WORKER_POLL_MS: positiveInt.default(250),
  RETRY_BASE_MS: positiveInt.default(1_000),
  RETRY_CAP_MS: positiveInt.default(300_000),
  RETRY_MAX_ATTEMPTS: positiveInt.default(20),
  RETRY_MAX_AGE_HOURS: z.coerce.number().positive().default(72),
  CIRCUIT_FAILURE_THRESHOLD: positiveInt.default(5),
  CIRCUIT_COOLDOWN_MS: positiveInt.default(30_000),
  CIRCUIT_FAULT_COOLDOWN_MS: positiveInt.default(300_000),
  PORTAL_TIMEOUT_MS: positiveInt.default(15_000),
  LOG_CHECKPOINT_KEY: secretKey,
  LOG_CHECKPOINT_KEY_FILE: optionalString,
  LOG_CHECKPOINT_EVERY: positiveInt.default(1000),
  // Seals departmental destinations' credentials (docs/departments.md, Credentials).
  DESTINATION_SECRET_KEY: destinationKey,
  DESTINATION_SECRET_KEY_FILE: optionalString,
  // Seconds between polls of a departmental system's change feed; unset: its profile's interval.
  DEPARTMENT_POLL_SECONDS: positiveInt.max(86_400).optional(),
  RETENTION_DAYS_RAW: z.coerce.number().positive().default(90),
  POSTAL_DUE_DAYS: positiveInt.max(60).default(5),
  POSTAL_FAILED_DELIVERIES_FINDING: positiveInt.max(20).default(2),
  RECONCILIATION_EVERY_SECONDS: z.coerce.number().int().min(0).max(604_800).default(3600),
  RECONCILIATION_LOOKBACK_HOURS: positiveInt.max(24 * 90).default(24),
  RECONCILIATION_CONCURRENCY: positiveInt.max(64).default(4),
  RECONCILIATION_STUCK_MINUTES: positiveInt.max(7 * 24 * 60).default(60),
  RECONCILIATION_REVIEW_WAIT_HOURS: positiveInt.max(24 * 60).default(24),
  METRICS_TOKEN: optionalString.pipe(z.string().min(16, 'must be at least 16 characters').optional()),
  POSTAL_SENDER_ADDRESS: optionalString,
  POSTAL_SENDER_PHONE: optionalString,
  SANDBOX_POSTAL_SIMULATOR: z
    .enum(['true', 'false'])
    .default('true')
    .transform((v) => v === 'true'),
  OPS_SESSION_HOURS: z.coerce.number().positive().max(24).default(8),
  OPS_SESSION_IDLE_MINUTES: z.coerce.number().positive().max(480).default(30),
  OPS_COOKIE_SECURE: z.enum(['auto', 'true', 'false']).default('auto'),
  OPS_TRUST_PROXY: z
    .enum(['true', 'false'])
    .default('false')
    .transform((v) => v === 'true'),
  OPS_SIGNIN_MAX_FAILURES: positiveInt.max(1000).default(5),
  PORTAL_URL: optionalString.pipe(z.url().optional()),
  PORTAL_USERNAME: optionalString,
  PORTAL_PASSWORD: optionalString,
  PORTAL_DSTCODE: optionalString,
  PORTAL_MADONVI: optionalString,
  PORTAL_FEE_AMOUNT_AS: z.enum(PORTAL_FEE_AMOUNT_FORMATS).default('string'),
  // Where public portal clients disagree (docs/portal-contract.md, Settings); also used in sandbox mode.
  PORTAL_SESSION_TTL_SECONDS: positiveInt.default(600),
  PORTAL_IS_UPDATING_AS: z.enum(['string', 'boolean']).default('string'),
  PORTAL_SYNC_BATCH_SIZE: positiveInt.max(50).default(50),
  PORTAL_AUTH_PATH: urlPath.default('/auth'),
  PORTAL_INTEGRATION_PATH: urlPath.default('/integration'),
  // SMS notices to the applicant (docs/sms.md).
  // auto: on in sandbox mode (the provider simulator) and wherever SMS_PROVIDER_URL is set.
  SMS_ENABLED: z.enum(['true', 'false', 'auto']).default('auto'),
  SMS_TEMPLATES_PATH: z.string().trim().min(1).default('config/sms-templates.json'),
  SMS_LOOKUP_URL: z
    .string()
    .trim()
    .default('https://dichvucong.example.vn/tra-cuu?ma={code}')
    .pipe(z.url())
    .refine((u) => u.includes('{code}'), { message: 'must contain {code}' }),
  SMS_ENCODING: z.enum(['gsm7', 'ucs2']).default('gsm7'),
  SMS_QUIET_HOURS: z
    .string()
    .trim()
    .default('21:00-07:00')
    .refine((v) => v === 'off' || /^([01]\d|2[0-3]):[0-5]\d-([01]\d|2[0-3]):[0-5]\d$/.test(v), {
      message: 'must be HH:MM-HH:MM (Vietnam time) or off',
    }),
  SMS_PROVIDER_URL: optionalString.pipe(z.url().optional()),
  SMS_PROVIDER_TOKEN: optionalString,
  SMS_TIMEOUT_MS: positiveInt.default(10_000),
  // The working-day calendar's year files (docs/calendar.md); on Workers the bundled files are used.
  CALENDAR_DIR: z.string().trim().min(1).default('config/calendar'),
  PROCEDURES_PATH: z.string().trim().min(1).default('config/procedures.json'),
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
  dedup: DedupConfig;
  delivery: DeliveryConfig;
  portal: { url: string; username: string; password: string; dstcode: string; madonvi: string } | undefined;
  /** How the portal mappings write what real clients disagree on (docs/portal.md). */
  portalMapping: { feeAmountAs: PortalFeeAmountFormat };
  portalWire: PortalWireConfig;
  logAnchor: LogAnchorConfig;
  /** The key sealing departmental destinations' credentials (docs/departments.md, Credentials). */
  destinationSecrets: { key: Uint8Array | undefined; keyFile: string | undefined };
  /** Seconds between polls of a departmental change feed; undefined: each profile's own interval. */
  departmentPollSeconds: number | undefined;
  retention: RetentionConfig;
  sms: SmsConfig;
  postal: PostalConfig;
  /** The folder of the working-day calendar's year files, `yyyy.json` (docs/calendar.md). */
  calendarDir: string;
  /** The procedure catalogue: durations in working days (docs/deadlines.md, Procedure catalogue). */
  proceduresPath: string;
  reconciliation: ReconciliationConfig;
  /** The bearer token `/metrics` asks for (METRICS_TOKEN); absent: `/metrics` is open (README). */
  metricsToken: string | undefined;
  ops: OpsDashboardConfig;
}

/** The operators' dashboard at /ops (docs/dashboard.md). */
export interface OpsDashboardConfig {
  /** A session ends this long after sign-in (OPS_SESSION_HOURS). */
  sessionMs: number;
  /** … or after this long unused (OPS_SESSION_IDLE_MINUTES). */
  idleMs: number;
  /** `auto`: Secure when the request came over TLS (OPS_COOKIE_SECURE). */
  cookieSecure: 'auto' | 'true' | 'false';
  /** Trust X-Forwarded-Proto, X-Forwarded-Host and X-Forwarded-For from a gateway in front (OPS_TRUST_PROXY). */
  trustProxy: boolean;
  /** Failed sign-ins from one address within 15 minutes before sign-in is refused (OPS_SIGNIN_MAX_FAILURES). */
  signinMaxFailures: number;
}

/** Reconciliation runs (docs/reconciliation.md). */
export interface ReconciliationConfig {
  /** A scheduled run this often (RECONCILIATION_EVERY_SECONDS; 0: no schedule, on demand only). */
  everyMs: number;
  /** With no earlier run, a run compares the dossiers changed in this window (RECONCILIATION_LOOKBACK_HOURS). */
  lookbackMs: number;
  /** Portal look-ups in flight at once (RECONCILIATION_CONCURRENCY). */
  concurrency: number;
  /** A transfer pending or in flight for longer is stuck (RECONCILIATION_STUCK_MINUTES). */
  stuckMs: number;
  /** A dedup review waiting longer is a finding (RECONCILIATION_REVIEW_WAIT_HOURS). */
  reviewWaitMs: number;
}

/** The reconciliation settings when none are configured. */
export const DEFAULT_RECONCILIATION: ReconciliationConfig = {
  everyMs: 3_600_000,
  lookbackMs: 24 * 3_600_000,
  concurrency: 4,
  stuckMs: 3_600_000,
  reviewWaitMs: 24 * 3_600_000,
};

/** SMS notices to the applicant (docs/sms.md). */
export interface SmsConfig {
  enabled: boolean;
  templatesPath: string;
  lookupUrl: string;
  encoding: 'gsm7' | 'ucs2';
  /** `HH:MM-HH:MM` in Vietnam time, or `off`. */
  quietHours: string;
  /** The provider; absent: the provider simulator (sandbox). */
  provider: { url: string; token: string } | undefined;
  timeoutMs: number;
}

/** The postal service's jobs (docs/postal.md). */
export interface PostalConfig {
  /** A job's `dueBy` is this many days after it appears (POSTAL_DUE_DAYS). */
  dueDays: number;
  /** The delivery failure that opens an operator finding (POSTAL_FAILED_DELIVERIES_FINDING). */
  failedDeliveriesFinding: number;
  /** The center's address and phone printed as the sender (the agency's name is the sender's name). */
  senderAddress: string | undefined;
  senderPhone: string | undefined;
  /** In sandbox mode, whether `npm start` runs the postal client simulator (SANDBOX_POSTAL_SIMULATOR). */
  sandboxSimulator: boolean;
}

/** The postal settings when none are configured (tests and runtimes without them). */
export const DEFAULT_POSTAL: PostalConfig = {
  dueDays: 5,
  failedDeliveriesFinding: 2,
  senderAddress: undefined,
  senderPhone: undefined,
  sandboxSimulator: true,
};

/** Checkpoints of the reconciliation log (docs/privacy.md and README): the key that signs them and how often. */
export interface LogAnchorConfig {
  /** The key itself (LOG_CHECKPOINT_KEY), hex or base64 decoded. */
  key: Uint8Array | undefined;
  /** A file holding the key (LOG_CHECKPOINT_KEY_FILE), read by the runtime. */
  keyFile: string | undefined;
  /** A checkpoint is written once this many entries follow the last one. */
  every: number;
}

/** How long personal data that is only kept for a while stays (docs/privacy.md). */
export interface RetentionConfig {
  /** Frozen payloads of finished transfers are emptied after this long. */
  rawMs: number;
}

/** How the gateway speaks to the portal where public clients disagree (docs/portal-contract.md). */
export interface PortalWireConfig {
  /** A session this old is replaced by a new login (PORTAL_SESSION_TTL_SECONDS). */
  sessionTtlMs: number;
  /** `isUpdating` as `"True"`/`"False"` or as a JSON boolean (PORTAL_IS_UPDATING_AS). */
  isUpdatingAs: 'string' | 'boolean';
  /** Dossier objects per DongBoHoSoMC call (PORTAL_SYNC_BATCH_SIZE). */
  syncBatchSize: number;
  /** Paths of the login and of the integration calls after PORTAL_URL. */
  authPath: string;
  integrationPath: string;
}

export interface DeliveryConfig {
  workerEnabled: boolean;
  concurrency: number;
  leaseMs: number;
  pollMs: number;
  retry: { baseMs: number; capMs: number; maxAttempts: number; maxAgeMs: number };
  circuit: { failureThreshold: number; cooldownMs: number; faultCooldownMs: number };
  portalTimeoutMs: number;
}

export interface DedupConfig {
  windowMs: number;
  mergeThreshold: number;
  reviewThreshold: number;
  /** Name similarity below which the names disagree: no automatic merge, whatever the identifier says. */
  nameVeto: number;
  weights: DedupWeights;
  authority: DedupAuthority;
  /** Source systems that are one-stop software; every other department system is specialized. */
  onestopSystems: string[];
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
  if (e.LOG_CHECKPOINT_KEY && e.LOG_CHECKPOINT_KEY_FILE) {
    throw new ConfigError([
      'LOG_CHECKPOINT_KEY_FILE: set either LOG_CHECKPOINT_KEY or LOG_CHECKPOINT_KEY_FILE, not both',
    ]);
  }
  if (e.DESTINATION_SECRET_KEY && e.DESTINATION_SECRET_KEY_FILE) {
    throw new ConfigError([
      'DESTINATION_SECRET_KEY_FILE: set either DESTINATION_SECRET_KEY or DESTINATION_SECRET_KEY_FILE, not both',
    ]);
  }
  if (e.SMS_PROVIDER_URL && !e.SMS_PROVIDER_TOKEN) {
    throw new ConfigError(['SMS_PROVIDER_TOKEN: required when SMS_PROVIDER_URL is set']);
  }
  // Outside sandbox mode texts go only to a real provider, never to the simulator by default.
  const smsEnabled =
    e.SMS_ENABLED === 'true' || (e.SMS_ENABLED === 'auto' && (portal === undefined || !!e.SMS_PROVIDER_URL));
  if (smsEnabled && portal !== undefined && !e.SMS_PROVIDER_URL) {
    throw new ConfigError(['SMS_PROVIDER_URL: required when SMS_ENABLED=true outside sandbox mode']);
  }
  if (e.DEDUP_REVIEW_THRESHOLD > e.DEDUP_MERGE_THRESHOLD) {
    throw new ConfigError(['DEDUP_REVIEW_THRESHOLD: must not be above DEDUP_MERGE_THRESHOLD']);
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
    dedup: {
      windowMs: e.DEDUP_WINDOW_DAYS * 86_400_000,
      mergeThreshold: e.DEDUP_MERGE_THRESHOLD,
      reviewThreshold: e.DEDUP_REVIEW_THRESHOLD,
      nameVeto: e.DEDUP_NAME_VETO,
      weights: e.DEDUP_WEIGHTS ?? DEFAULT_DEDUP_WEIGHTS,
      authority: e.DEDUP_AUTHORITY ?? DEFAULT_DEDUP_AUTHORITY,
      onestopSystems: e.ONESTOP_SYSTEMS,
    },
    delivery: {
      workerEnabled: e.WORKER_ENABLED,
      concurrency: e.WORKER_CONCURRENCY,
      leaseMs: e.WORKER_LEASE_MS,
      pollMs: e.WORKER_POLL_MS,
      retry: {
        baseMs: e.RETRY_BASE_MS,
        capMs: e.RETRY_CAP_MS,
        maxAttempts: e.RETRY_MAX_ATTEMPTS,
        maxAgeMs: e.RETRY_MAX_AGE_HOURS * 3_600_000,
      },
      circuit: {
        failureThreshold: e.CIRCUIT_FAILURE_THRESHOLD,
        cooldownMs: e.CIRCUIT_COOLDOWN_MS,
        faultCooldownMs: e.CIRCUIT_FAULT_COOLDOWN_MS,
      },
      portalTimeoutMs: e.PORTAL_TIMEOUT_MS,
    },
    portal,
    portalMapping: { feeAmountAs: e.PORTAL_FEE_AMOUNT_AS },
    portalWire: {
      sessionTtlMs: e.PORTAL_SESSION_TTL_SECONDS * 1000,
      isUpdatingAs: e.PORTAL_IS_UPDATING_AS,
      syncBatchSize: e.PORTAL_SYNC_BATCH_SIZE,
      authPath: e.PORTAL_AUTH_PATH,
      integrationPath: e.PORTAL_INTEGRATION_PATH,
    },
    logAnchor: {
      key: e.LOG_CHECKPOINT_KEY,
      keyFile: e.LOG_CHECKPOINT_KEY_FILE,
      every: e.LOG_CHECKPOINT_EVERY,
    },
    destinationSecrets: { key: e.DESTINATION_SECRET_KEY, keyFile: e.DESTINATION_SECRET_KEY_FILE },
    departmentPollSeconds: e.DEPARTMENT_POLL_SECONDS,
    retention: { rawMs: e.RETENTION_DAYS_RAW * 86_400_000 },
    sms: {
      enabled: smsEnabled,
      templatesPath: e.SMS_TEMPLATES_PATH,
      lookupUrl: e.SMS_LOOKUP_URL,
      encoding: e.SMS_ENCODING,
      quietHours: e.SMS_QUIET_HOURS,
      provider: e.SMS_PROVIDER_URL
        ? { url: e.SMS_PROVIDER_URL, token: e.SMS_PROVIDER_TOKEN ?? '' }
        : undefined,
      timeoutMs: e.SMS_TIMEOUT_MS,
    },
    postal: {
      dueDays: e.POSTAL_DUE_DAYS,
      failedDeliveriesFinding: e.POSTAL_FAILED_DELIVERIES_FINDING,
      senderAddress: e.POSTAL_SENDER_ADDRESS,
      senderPhone: e.POSTAL_SENDER_PHONE,
      sandboxSimulator: e.SANDBOX_POSTAL_SIMULATOR,
    },
    calendarDir: e.CALENDAR_DIR,
    proceduresPath: e.PROCEDURES_PATH,
    reconciliation: {
      everyMs: e.RECONCILIATION_EVERY_SECONDS * 1000,
      lookbackMs: e.RECONCILIATION_LOOKBACK_HOURS * 3_600_000,
      concurrency: e.RECONCILIATION_CONCURRENCY,
      stuckMs: e.RECONCILIATION_STUCK_MINUTES * 60_000,
      reviewWaitMs: e.RECONCILIATION_REVIEW_WAIT_HOURS * 3_600_000,
    },
    metricsToken: e.METRICS_TOKEN,
    ops: {
      sessionMs: e.OPS_SESSION_HOURS * 3_600_000,
      idleMs: e.OPS_SESSION_IDLE_MINUTES * 60_000,
      cookieSecure: e.OPS_COOKIE_SECURE,
      trustProxy: e.OPS_TRUST_PROXY,
      signinMaxFailures: e.OPS_SIGNIN_MAX_FAILURES,
    },
  };
}
