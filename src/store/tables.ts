/**
 * Kysely table interfaces, collected into one `Database` type.
 * Times are stored twice where they are queried: epoch milliseconds (`*_ms`, for ordering and filters)
 * and the canonical ISO text inside the JSON document.
 */
import type { Generated, Insertable, Selectable } from 'kysely';

export interface DossierTable {
  id: string;
  code: string;
  agency_code: string;
  procedure_code: string;
  status: string;
  status_at_ms: number;
  applicant_id_number: string | null;
  received_at_ms: number;
  /** JSON of DossierData (canonical fields). */
  data: string;
  version: number;
  created_at_ms: number;
  updated_at_ms: number;
  /** Blocking keys for dedup (normal forms). */
  applicant_name_key: string | null;
  applicant_phone: string | null;
  /** Receipt day in Vietnam, YYYY-MM-DD. */
  received_day: string | null;
  /** 1 while the dossier waits for a dedup review: its transfers are held back. */
  held: number;
  /** Set when the dossier was merged into another one (a tombstone that redirects). */
  merged_into: string | null;
  /** The effective due instant: the pushed dueAt, else computed from the procedure (migration 0013). */
  due_at_ms: number | null;
  /** When the dossier left processing (resolved, returned, rejected, withdrawn, suspended); null while open. */
  closed_at_ms: number | null;
  /** The submission channel (counter, online, postal), for the reports (migration 0013). */
  channel: string | null;
  /** 1 when the dossier has documents and every one not withdrawn is digitised (migration 0013). */
  digitised: number | null;
}

export interface DossierSourceTable {
  dossier_id: string;
  system: string;
  record_id: string;
  code: string | null;
  first_seen_at_ms: number;
  last_seen_at_ms: number;
  /** JSON of the DossierData and status this source last pushed. */
  last_input: string | null;
}

export interface DossierAliasTable {
  code: string;
  dossier_id: string;
  system: string;
  created_at_ms: number;
}

export interface DossierConflictTable {
  id: Generated<number>;
  dossier_id: string;
  field: string;
  kept: string;
  kept_system: string | null;
  other: string;
  other_system: string;
  detected_at_ms: number;
}

export interface DedupReviewTable {
  id: string;
  dossier_id: string;
  /** JSON: [{ dossierId, score, reasons }] */
  candidates: string;
  state: 'pending' | 'merged' | 'kept_apart';
  created_at_ms: number;
  decided_at_ms: number | null;
  decided_by: string | null;
  decision: string | null;
}

export interface StatusHistoryTable {
  id: Generated<number>;
  dossier_id: string;
  status: string;
  at_ms: number;
  at: string;
  note: string | null;
  officer: string | null;
  source_system: string | null;
  source_record_id: string | null;
  applied: number;
  recorded_at_ms: number;
}

export interface DossierCodeSequenceTable {
  agency_code: string;
  day: string;
  last_seq: number;
}

export interface IdempotencyKeyTable {
  client_id: string;
  key: string;
  request_hash: string;
  state: 'in_progress' | 'completed';
  response_status: number | null;
  response_body: string | null;
  created_at_ms: number;
  locked_until_ms: number;
  /** The boot (process) whose request holds the key; null for keys from before boots existed. */
  owner_boot: string | null;
}

/** A running gateway process: registered at start, heartbeat moved forward, deleted at clean shutdown. */
export interface BootTable {
  id: string;
  pid: number;
  host: string;
  started_at_ms: number;
  heartbeat_at_ms: number;
}

export interface ClientTable {
  id: string;
  name: string;
  role: string;
  system: string | null;
  agencies: string;
  key_hash: string;
  key_prefix: string;
  created_at_ms: number;
  revoked_at_ms: number | null;
}

export interface TransferTable {
  id: Generated<number>;
  destination: string;
  kind: string;
  dossier_id: string;
  /** Per (destination, dossier) ordering: transfers go out in this order. */
  seq: number;
  idempotency_key: string;
  /** JSON: what the destination must receive, frozen at enqueue time. */
  payload: string;
  state: 'held' | 'pending' | 'in_flight' | 'delivered' | 'dead' | 'cancelled';
  attempts: number;
  next_attempt_at_ms: number;
  lease_owner: string | null;
  lease_until_ms: number | null;
  last_error: string | null;
  created_at_ms: number;
  updated_at_ms: number;
}

export interface ReconciliationLogTable {
  id: Generated<number>;
  at_ms: number;
  kind: string;
  actor: string;
  dossier_id: string | null;
  transfer_id: number | null;
  /** JSON details. */
  data: string;
  prev_hash: string;
  hash: string;
}

/** A signed checkpoint of the reconciliation log (migration 0007). */
export interface LogCheckpointTable {
  /** 1, 2, 3, …: a gap means a checkpoint was deleted. */
  seq: number;
  /** The entry it anchors, and that entry's hash. */
  entry_id: number;
  entry_hash: string;
  at_ms: number;
  /** Hex HMAC-SHA-256 over seq, entry, time and the previous checkpoint's MAC. */
  mac: string;
}

export interface DestinationTable {
  name: string;
  circuit: 'closed' | 'open' | 'half_open';
  consecutive_failures: number;
  open_until_ms: number | null;
  probe_owner: string | null;
  probe_until_ms: number | null;
  last_success_ms: number | null;
  last_error: string | null;
  last_error_ms: number | null;
  /** Set while a configuration fault needs an operator (IP not allowed, wrong agency id, bad credentials). */
  alert: string | null;
}

/** One SMS notice per (dossier, event) (migration 0010): its outcome, never the phone number. */
export interface SmsNoticeTable {
  dossier_id: string;
  event: string;
  /** queued, or why nothing was sent: no_phone, not_mobile, invalid_phone, opted_out. */
  outcome: string;
  transfer_id: number | null;
  encoding: string | null;
  segments: number | null;
  created_at_ms: number;
}

/** A number that gets no notice, as a keyed digest (migration 0010). */
export interface SmsOptOutTable {
  id: string;
  /** The last three digits, masked (***678), so operators can tell entries apart. */
  hint: string;
  note: string | null;
  created_at_ms: number;
  created_by: string;
}

/** A delivery job of the postal service (migration 0009, docs/postal.md). */
export interface PostalJobTable {
  id: string;
  kind: 'return' | 'collect';
  dossier_id: string;
  agency_code: string;
  /** The dossier code, the postal service's order number. */
  order_number: string;
  /** JSON of the job's delivery data (sender, receiver, contents, COD amount, note). */
  payload: string;
  state: 'open' | 'leased' | 'accepted' | 'delivered' | 'returned_to_sender' | 'handed_over' | 'cancelled';
  lease_owner: string | null;
  lease_token: string | null;
  lease_until_ms: number | null;
  accepted_by: string | null;
  tracking_number: string | null;
  failed_deliveries: number;
  final_at_ms: number | null;
  created_at_ms: number;
  due_by_ms: number;
  updated_at_ms: number;
}

/** A tracking event a postal client reported (migration 0009). */
export interface PostalEventTable {
  id: Generated<number>;
  job_id: string;
  type: string;
  at_ms: number;
  at: string;
  recipient_name: string | null;
  reason: string | null;
  /** 0 when the event came after the job was final: stored, moves nothing. */
  applied: number;
  recorded_at_ms: number;
}

/** Something an operator must look at (migration 0009): references and a detail without personal data. */
export interface FindingTable {
  id: Generated<number>;
  kind: string;
  dossier_id: string | null;
  job_id: string | null;
  detail: string;
  opened_at_ms: number;
  closed_at_ms: number | null;
  /** What it is about, `dossier:…`, `transfer:…`, `job:…` or `review:…`: one open finding per subject and kind (0014). */
  subject: string | null;
  agency_code: string | null;
  transfer_id: number | null;
  review_id: string | null;
  /** The reconciliation runs that opened and closed it (null when an event did). */
  opened_by_run: string | null;
  closed_by_run: string | null;
}

/** A reconciliation run (migration 0014, docs/reconciliation.md). */
export interface ReconciliationRunTable {
  id: string;
  trigger: 'schedule' | 'operator';
  state: 'running' | 'completed' | 'failed';
  period_from_ms: number;
  period_to_ms: number;
  /** compared, partial (the portal failed part way), not_compared. */
  portal: 'compared' | 'partial' | 'not_compared';
  portal_reason: string | null;
  dossiers_compared: number;
  dossiers_skipped: number;
  /** JSON: { opened: {kind: n}, closed: {kind: n} }. */
  counts: string;
  error: string | null;
  started_at_ms: number;
  finished_at_ms: number | null;
  requested_by: string;
}

/** A verification of the reconciliation log asked through the API (migration 0014). */
export interface LogVerificationTable {
  id: Generated<number>;
  at_ms: number;
  ok: number;
  /** JSON of the audit (no personal data: ids, hashes, reasons). */
  result: string;
  requested_by: string;
}

/** A departmental destination an admin registered (migration 0011); `credentials` is never returned. */
export interface DepartmentDestinationTable {
  system: string;
  profile: string;
  base_url: string;
  credentials: string;
  /** JSON array of the agency ids it serves. */
  agencies: string;
  created_at_ms: number;
  /** 1 when the gateway polls this system for its changes (migration 0012). */
  pull: Generated<number>;
}

/** Where the poller of a departmental system stands (migration 0012): its cursor and last round. */
export interface DepartmentCursorTable {
  system: string;
  /** The cursor after the last change taken in; null before the first. */
  cursor: string | null;
  changes: Generated<number>;
  bad_changes: Generated<number>;
  moved_at_ms: number | null;
  polled_at_ms: number | null;
  last_error: string | null;
  last_error_ms: number | null;
}

/** A dossier forwarded to a departmental destination, once (migration 0011). */
export interface DepartmentForwardTable {
  dossier_id: string;
  system: string;
  transfer_id: number;
  created_at_ms: number;
  /** 1 when this forward carried the whole dossier, so later field updates go there too (0012). */
  whole: Generated<number>;
}

/** A signed-in dashboard browser (migration 0015): the session id only as its SHA-256. */
export interface OpsSessionTable {
  id_hash: string;
  client_id: string;
  created_at_ms: number;
  last_seen_at_ms: number;
  /** The absolute end; the idle timeout is counted from `last_seen_at_ms`. */
  expires_at_ms: number;
}

/** A failed dashboard sign-in from one source address (migration 0015), kept for a short window. */
export interface OpsSigninFailureTable {
  address: string;
  at_ms: number;
}

export interface Database {
  boots: BootTable;
  destinations: DestinationTable;
  dossiers: DossierTable;
  dossier_sources: DossierSourceTable;
  status_history: StatusHistoryTable;
  dossier_code_sequences: DossierCodeSequenceTable;
  idempotency_keys: IdempotencyKeyTable;
  clients: ClientTable;
  transfers: TransferTable;
  sms_notices: SmsNoticeTable;
  sms_optouts: SmsOptOutTable;
  reconciliation_log: ReconciliationLogTable;
  log_checkpoints: LogCheckpointTable;
  dossier_aliases: DossierAliasTable;
  dossier_conflicts: DossierConflictTable;
  dedup_reviews: DedupReviewTable;
  postal_jobs: PostalJobTable;
  postal_events: PostalEventTable;
  findings: FindingTable;
  reconciliation_runs: ReconciliationRunTable;
  log_verifications: LogVerificationTable;
  department_destinations: DepartmentDestinationTable;
  department_forwards: DepartmentForwardTable;
  department_cursors: DepartmentCursorTable;
  ops_sessions: OpsSessionTable;
  ops_signin_failures: OpsSigninFailureTable;
}

export type DossierRow = Selectable<DossierTable>;
export type NewTransfer = Insertable<TransferTable>;
export type TransferRow = Selectable<TransferTable>;
export type ClientRow = Selectable<ClientTable>;
export type PostalJobRow = Selectable<PostalJobTable>;
export type PostalEventRow = Selectable<PostalEventTable>;
