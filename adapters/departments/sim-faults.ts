/**
 * What both department simulators share (docs/departments.md, Simulators and sandbox): their failure
 * switches (`fail`, `slow`, `badData`, `reset`), a switch limited to a number of uses, a loopback
 * server whose `down` and `close` also cut the connections it holds open, and their book of records.
 */
import type { Server, ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { ForwardedDossier, ForwardedEvent } from '../../schemas/departments.js';
import type { DossierStatus } from '../../schemas/dossier.js';

/** A switch that answers its value `times` times (always, without `times`), then nothing. */
export interface LimitedSwitch<T> {
  set(value: T | undefined, times?: number): void;
  /** One use: the value, or undefined when off or used up. */
  take(): T | undefined;
}

export function limitedSwitch<T>(): LimitedSwitch<T> {
  let value: T | undefined;
  let left: number | undefined;
  return {
    set(v, times) {
      value = v;
      left = times;
    },
    take() {
      if (value === undefined) return undefined;
      if (left !== undefined) {
        if (left <= 0) return undefined;
        left -= 1;
      }
      return value;
    },
  };
}

export interface SimFaults {
  /** The 5xx status to answer instead of the real answer. */
  readonly status: LimitedSwitch<number>;
  delayMs: number;
  badData: boolean;
}

export interface FaultControl {
  fail(status: number, times?: number): void;
  slow(ms: number): void;
  badData(on: boolean): void;
  reset(): void;
}

/** A simulator's failure switches, all off, and the control that sets them. */
export function simFaults(): { faults: SimFaults; control: FaultControl } {
  const faults: SimFaults = { status: limitedSwitch<number>(), delayMs: 0, badData: false };
  const control: FaultControl = {
    fail(status, times) {
      faults.status.set(status, times);
    },
    slow(ms) {
      faults.delayMs = ms;
    },
    badData(on) {
      faults.badData = on;
    },
    reset() {
      faults.status.set(undefined);
      faults.delayMs = 0;
      faults.badData = false;
    },
  };
  return { faults, control };
}

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
  res.end(JSON.stringify(body));
}

export interface SimServer {
  /** The port it listens on, kept across `down(true)` and `down(false)`. */
  readonly port: number;
  /** Closes the socket (cutting open connections), or listens again on the same port. */
  down(on: boolean): Promise<void>;
  close(): Promise<void>;
}

/** Listens on `host` with a server `make` builds (anew each time it comes back up). */
export async function serveSimulator(
  host: string,
  port: number,
  make: () => Server | Promise<Server>,
): Promise<SimServer> {
  const sockets = new Set<Socket>();
  const listen = async (p: number): Promise<Server> => {
    const s = await make();
    s.on('connection', (socket) => {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
    });
    return new Promise((resolve, reject) => {
      s.once('error', reject);
      s.listen(p, host, () => resolve(s));
    });
  };
  let server = await listen(port);
  const bound = (server.address() as AddressInfo).port;
  const close = () =>
    new Promise<void>((resolve) => {
      if (!server.listening) return resolve();
      server.close(() => resolve());
      for (const socket of sockets) socket.destroy();
    });
  return {
    port: bound,
    async down(on) {
      if (on) await close();
      else if (!server.listening) server = await listen(bound);
    },
    close,
  };
}

export interface SimRecord {
  recordId: string;
  dossier: ForwardedDossier;
  steps: ForwardedEvent[];
}

export interface RecordBook {
  /** Records by their own id, in arrival order. */
  readonly records: Map<string, SimRecord>;
  /** The record of the dossier's receipt number: a new one (`PREFIX-YYYY-NNNNNN`) the first time only. */
  receive(dossier: ForwardedDossier): SimRecord;
  /** Notes a step the software takes itself, before reporting it to the gateway. */
  noteOwnStep(recordId: string, step: { status: DossierStatus; at: string; note?: string }): void;
}

/** `onRecord` is called once per new record. */
export function recordBook(prefix: string, first: number, onRecord?: (recordId: string) => void): RecordBook {
  const records = new Map<string, SimRecord>();
  const byReceipt = new Map<string, string>();
  let next = first;
  return {
    records,
    receive(dossier) {
      const known = records.get(byReceipt.get(dossier.code) ?? '');
      if (known) return known;
      const recordId = `${prefix}-${dossier.receivedAt.slice(0, 4)}-${String(next++ % 1_000_000).padStart(6, '0')}`;
      const record = { recordId, dossier, steps: [] };
      byReceipt.set(dossier.code, recordId);
      records.set(recordId, record);
      onRecord?.(recordId);
      return record;
    },
    noteOwnStep(recordId, s) {
      records.get(recordId)?.steps.push({ status: s.status, at: s.at, ...(s.note ? { note: s.note } : {}) });
    },
  };
}
