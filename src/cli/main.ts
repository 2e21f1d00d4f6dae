/**
 * The operator's command line: `npm run --silent cli -- <command>`.
 *   clients add --name N --role R [--system S] [--agency A …] [--json]
 *   clients list [--json]
 *   clients revoke <id> [--json]
 *   log verify [--json]
 *   retention run [--json]
 *   destinations add --system S --profile P --url URL --credentials-env VAR --agency A … [--pull] [--json]
 *   destinations list [--json] | destinations remove --system S [--json]
 *   sms optout add PHONE [--note TEXT] [--json] | sms optout remove PHONE|ID [--json] | sms optout list [--json]
 *   migrate
 * It works on the database named by DB_PATH, so a running gateway on that file sees its changes
 * within a second. Exit codes: 0 ok, 1 failure (e.g. a broken log chain), 2 usage or input error.
 */
import { parseArgs } from 'node:util';
import { ClientInputSchema } from '../../schemas/client.js';
import { type Config, ConfigError, parseConfig } from '../../schemas/config.js';
import { DestinationInputSchema } from '../../schemas/departments.js';
import { ClientService } from '../clients/client.service.js';
import { addDestination } from '../departments/add-destination.js';
import { listDestinations } from '../departments/list-destinations.js';
import { removeDestination } from '../departments/remove-destination.js';
import { fieldErrors } from '../http/problem.js';
import { Conflict, type FieldError, NotFound, Unprocessable, Validation } from '../lib/errors.js';
import { systemClock, toVnIso } from '../lib/time.js';
import { runRetention } from '../privacy/retention.js';
import { auditLog, type LogAudit } from '../reconciliation/log.js';
import { loadSecretKey } from '../runtime/node/destination-key.js';
import { loadLogKey } from '../runtime/node/log-key.js';
import { addOptOut } from '../sms/add-optout.js';
import { listOptOutViews } from '../sms/list-optouts.js';
import { removeOptOut } from '../sms/remove-optout.js';
import { optOutDigest } from '../sms/settings.js';
import { openSqliteStore } from '../store/sqlite.js';
import { migrateToLatest } from '../store/store.js';
import { shown } from './shown.js';

const USAGE = `usage: npm run --silent cli -- <command>
  clients add --name NAME --role department|postal|operator|admin [--system SYSTEM] [--agency AGENCY_ID ...] [--json]
  clients list [--json]
  clients revoke CLIENT_ID [--json]
  log verify [--json]
  retention run [--json]
  destinations add --system SYSTEM --profile PROFILE --url BASE_URL --credentials-env VAR --agency AGENCY_ID [...] [--pull] [--json]
  destinations list [--json]
  destinations remove --system SYSTEM [--json]
  sms optout add PHONE [--note TEXT] [--json]
  sms optout remove PHONE|OPTOUT_ID [--json]
  sms optout list [--json]
  migrate`;

class UsageError extends Error {}

function out(json: boolean, value: unknown, text: string): void {
  process.stdout.write(`${json ? JSON.stringify(value) : text}\n`);
}

type Options = {
  name?: string;
  role?: string;
  system?: string;
  agency?: string[];
  note?: string;
  profile?: string;
  url?: string;
  'credentials-env'?: string;
  pull?: boolean;
  json: boolean;
};

/** Context of one command: its options, the client use cases and the store. */
interface Command {
  config: Config;
  values: Options;
  rest: string[];
  clients: ClientService;
  store: ReturnType<typeof openSqliteStore>;
}

async function clientsAdd({ values, clients }: Command): Promise<number> {
  const json = values.json;
  const raw = { name: values.name, role: values.role, system: values.system, agencies: values.agency ?? [] };
  const parsed = ClientInputSchema.safeParse(raw);
  if (!parsed.success) {
    const errors = fieldErrors(parsed.error, undefined, raw).map((e) => ({
      ...e,
      path:
        e.path === 'agencies' || e.path.startsWith('agencies.')
          ? `--agency${e.path.slice(8)}`
          : `--${e.path}`,
    }));
    if (json) process.stdout.write(`${JSON.stringify({ error: 'invalid input', errors })}\n`);
    else for (const e of errors) process.stderr.write(`${e.path}: ${e.message} (${e.rule})\n`);
    return 2;
  }
  const created = await clients.add(parsed.data);
  const { id, key, name, role, system, agencies } = created;
  out(
    json,
    { id, key, name, role, system, agencies },
    `created client ${id} (${role})\nAPI key (shown once, store it now): ${key}`,
  );
  return 0;
}

async function clientsList({ values, clients }: Command): Promise<number> {
  const list = await clients.list();
  const lines = list.map(
    (c) =>
      `${c.id}  ${c.role.padEnd(10)} ${shown(c.system ?? '-').padEnd(16)} ${c.revokedAt ? 'revoked' : 'active '}  ${shown(c.name)}  ${shown(c.agencies.join(','))}`,
  );
  out(values.json, list, lines.join('\n') || '(no clients)');
  return 0;
}

async function clientsRevoke({ values, rest, clients }: Command): Promise<number> {
  const id = rest[0];
  if (!id) throw new UsageError('clients revoke needs a client id');
  const client = await clients.revoke(id);
  if (!client) {
    out(values.json, { error: 'not found', id }, `no client ${shown(id)}`);
    return 1;
  }
  out(values.json, client, `revoked client ${client.id} (${shown(client.name)})`);
  return 0;
}

const count = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

/** The lines `log verify` prints: the verdict first, then the chain and the checkpoints. */
function auditLines(audit: LogAudit): string[] {
  const { chain, anchoring } = audit;
  const problem = anchoring.checked ? anchoring.problem : undefined;
  const lines: string[] = [];
  if (!chain.ok) {
    lines.push(
      `reconciliation log BROKEN at entry ${chain.brokenAt}: ${chain.reason} (${chain.entries} entries verified before it)`,
    );
  }
  if (problem) lines.push(`reconciliation log TAMPERED: ${problem.reason}`);
  if (chain.ok && problem) {
    lines.push(`hash chain: ${chain.entries} entries, intact (a chain cut short or recomputed still links)`);
  }
  if (chain.ok && !problem) lines.push(`reconciliation log verified: ${chain.entries} entries, chain intact`);
  if (!anchoring.checked) {
    lines.push(
      'anchoring NOT checked: no LOG_CHECKPOINT_KEY or LOG_CHECKPOINT_KEY_FILE (nor a sandbox key file); a deleted tail or a chain recomputed after an edit would not be detected',
    );
    return lines;
  }
  const last = anchoring.lastAnchored;
  const at = last?.entryAtMs === undefined ? '' : ` of ${toVnIso(last.entryAtMs)}`;
  lines.push(
    last
      ? `last anchored entry: ${last.entryId}${at} (checkpoint #${last.seq}, signed ${toVnIso(last.signedAtMs)}); ${count(anchoring.checkpoints, 'checkpoint', 'checkpoints')} verified with the key; ${count(anchoring.unanchored, 'entry', 'entries')} after it not anchored yet`
      : `no checkpoint verified: ${count(anchoring.unanchored, 'entry', 'entries')} not anchored`,
  );
  return lines;
}

async function logVerify({ config, values, store }: Command): Promise<number> {
  const key = loadLogKey(config, { create: false });
  const audit = await auditLog(store.db, key?.key);
  out(values.json, audit, auditLines(audit).join('\n'));
  return audit.ok ? 0 : 1;
}

async function retentionRun({ config, values, store }: Command): Promise<number> {
  const policy = { idempotencyMs: config.idempotencyTtlMs, rawMs: config.retention.rawMs };
  const result = await runRetention(store, policy, systemClock.now());
  out(
    values.json,
    result,
    `retention: deleted ${result.idempotencyKeys} Idempotency-Key answers older than ${policy.idempotencyMs / 3_600_000} h; emptied ${result.transferPayloads} payloads of finished transfers older than ${policy.rawMs / 86_400_000} days`,
  );
  return 0;
}

/** `sms optout add|remove|list`: the opt-out list (docs/sms.md); numbers are kept only as digests. */
async function smsOptOut({ config, values, rest, store }: Command): Promise<number> {
  const [action, target] = rest;
  if (action === 'list') {
    if (target !== undefined) throw new UsageError(`sms optout list: unexpected argument ${shown(target)}`);
    const { items } = await listOptOutViews(store.db);
    const lines = items.map(
      (o) => `${o.id}  ${o.hint}  ${o.createdAt}  ${shown(o.createdBy)}  ${shown(o.note ?? '')}`,
    );
    out(values.json, { items }, lines.join('\n') || '(no opt-outs)');
    return 0;
  }
  if ((action !== 'add' && action !== 'remove') || !target)
    throw new UsageError('sms optout needs add PHONE, remove PHONE|OPTOUT_ID or list');
  if (action === 'remove' && values.note !== undefined)
    throw new UsageError('sms optout remove does not take --note');
  // The same key the server digests with (in sandbox mode the key file next to the database, made if missing).
  const digest = optOutDigest(loadLogKey(config, { create: true })?.key);
  const now = systemClock.now();
  try {
    return await store.transaction(async (trx) => {
      const ctx = { trx, digest, actor: 'cli', now };
      if (action === 'add') {
        const r = await addOptOut(ctx, { phone: target, note: values.note });
        out(
          values.json,
          r,
          `${r.created ? 'opted out' : 'already opted out'}: ${r.optOut.id} (${r.optOut.hint})`,
        );
        return 0;
      }
      await removeOptOut(ctx, /^(hmac|sha256)-[0-9a-f]+$/.test(target) ? { id: target } : { phone: target });
      out(values.json, { removed: true }, 'opt-out removed');
      return 0;
    });
  } catch (error) {
    if (!(error instanceof Validation || error instanceof NotFound)) throw error;
    out(
      values.json,
      { error: error.message },
      error instanceof NotFound ? 'no such opt-out' : 'not a Vietnamese phone number',
    );
    return error instanceof NotFound ? 1 : 2;
  }
}

/** `destinations add`: a departmental destination (docs/departments.md); the credentials come from an env var. */
async function destinationsAdd({ config, values, store }: Command): Promise<number> {
  const envName = values['credentials-env'];
  const raw = {
    system: values.system,
    profile: values.profile,
    baseUrl: values.url,
    credentials: envName ? process.env[envName] : undefined,
    agencies: values.agency ?? [],
    pull: values.pull ?? false,
  };
  const parsed = DestinationInputSchema.safeParse(raw);
  const flag: Record<string, string> = { baseUrl: 'url', credentials: 'credentials-env', agencies: 'agency' };
  const fail = (errors: FieldError[]) => {
    const named = errors.map((e) => ({ ...e, path: `--${flag[e.path.split('.')[0] ?? ''] ?? e.path}` }));
    if (values.json) process.stdout.write(`${JSON.stringify({ error: 'invalid input', errors: named })}\n`);
    else for (const e of named) process.stderr.write(`${e.path}: ${e.message} (${e.rule})\n`);
    return 2;
  };
  if (!parsed.success) return fail(fieldErrors(parsed.error, undefined, raw));
  try {
    // Sealed with the gateway's key (docs/departments.md, Credentials): the same sandbox key file, made if missing.
    const box = loadSecretKey(config, { create: true })?.box;
    const now = systemClock.now();
    const view = await store.transaction((trx) => addDestination(trx, parsed.data, 'cli', now, box));
    out(
      values.json,
      view,
      `registered destination ${view.system} (${view.profile}) for ${view.agencies.join(',')}`,
    );
    return 0;
  } catch (error) {
    if (error instanceof Validation) return fail(error.errors);
    if (error instanceof Unprocessable) {
      out(values.json, { error: error.message }, error.message);
      return 2;
    }
    if (!(error instanceof Conflict)) throw error;
    out(values.json, { error: error.message }, error.message);
    return 1;
  }
}

async function destinationsList({ values, store }: Command): Promise<number> {
  const items = await listDestinations(store.db);
  const lines = items.map(
    (d) => `${d.system}  ${d.profile}  ${shown(d.baseUrl)}  ${d.agencies.join(',')}${d.pull ? '  pull' : ''}`,
  );
  out(values.json, { items }, lines.join('\n') || '(no destinations)');
  return 0;
}

async function destinationsRemove({ values, store }: Command): Promise<number> {
  const system = values.system;
  if (!system) throw new UsageError('destinations remove needs --system');
  try {
    await store.transaction((trx) => removeDestination(trx, system, 'cli', systemClock.now()));
  } catch (error) {
    if (!(error instanceof NotFound)) throw error;
    out(values.json, { error: 'not found', system }, `no destination ${shown(system)}`);
    return 1;
  }
  out(values.json, { removed: system }, `removed destination ${shown(system)}`);
  return 0;
}

const COMMANDS: Record<string, (cmd: Command) => Promise<number>> = {
  migrate: async ({ values }) => {
    out(values.json, { ok: true }, 'migrations applied');
    return 0;
  },
  'clients add': clientsAdd,
  'clients list': clientsList,
  'clients revoke': clientsRevoke,
  'log verify': logVerify,
  'retention run': retentionRun,
  'sms optout': smsOptOut,
  'destinations add': destinationsAdd,
  'destinations list': destinationsList,
  'destinations remove': destinationsRemove,
};

/** The flags each command takes besides --json (every command takes --json). */
const FLAGS: Record<string, readonly string[]> = {
  'clients add': ['name', 'role', 'system', 'agency'],
  'sms optout': ['note'],
  'destinations add': ['system', 'profile', 'url', 'credentials-env', 'agency', 'pull'],
  'destinations remove': ['system'],
};

async function run(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      name: { type: 'string' },
      role: { type: 'string' },
      system: { type: 'string' },
      agency: { type: 'string', multiple: true },
      note: { type: 'string' },
      profile: { type: 'string' },
      url: { type: 'string' },
      'credentials-env': { type: 'string' },
      pull: { type: 'boolean' },
      json: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  const [group, command, ...rest] = positionals;
  if (values.help || !group) {
    process.stdout.write(`${USAGE}\n`);
    return values.help ? 0 : 2;
  }
  const requested = `${group} ${command ?? ''}`.trim();
  const handler = COMMANDS[requested];
  // Unknown commands, stray arguments and flags a command does not take are refused before the
  // database is opened: a typo must not look like a result.
  if (!handler) throw new UsageError(`unknown command: ${shown(requested)}`);
  const arity = requested === 'clients revoke' ? 1 : requested === 'sms optout' ? 2 : 0;
  if (rest.length > arity)
    throw new UsageError(`${requested}: unexpected argument ${shown(rest[arity] ?? '')}`);
  const allowed = FLAGS[requested] ?? [];
  const stray = Object.keys(values).find(
    (flag) =>
      flag !== 'json' &&
      flag !== 'help' &&
      values[flag as keyof typeof values] !== undefined &&
      !allowed.includes(flag),
  );
  if (stray) throw new UsageError(`${requested} does not take --${shown(stray)}`);
  const config = parseConfig(process.env);
  const store = openSqliteStore(config.dbPath, { groupCommit: false });
  try {
    await migrateToLatest(store.db);
    const clients = new ClientService(store.db, systemClock);
    return await handler({ config, values: { ...values, json: values.json ?? false }, rest, clients, store });
  } finally {
    await store.close();
  }
}

run(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    if (error instanceof UsageError || (error instanceof TypeError && 'code' in error)) {
      process.stderr.write(`${error.message}\n${USAGE}\n`);
      process.exitCode = 2;
    } else if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exitCode = 2;
    } else {
      process.stderr.write(`cli failed: ${error instanceof Error ? error.message : String(error)}\n`);
      process.exitCode = 1;
    }
  },
);
