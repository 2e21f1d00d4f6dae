/**
 * The short authentication cache: presented key hash → principal (or null for an unknown key) for
 * 500 ms, shared by every request of the process on purpose. A key added or revoked elsewhere (the
 * CLI on the same database) takes effect within that half second.
 */
import type { Principal } from './client.js';

export const CACHE_TTL_MS = 500;
const MAX_ENTRIES = 10_000;

export class AuthCache {
  private readonly entries = new Map<string, { principal: Principal | null; until: number }>();

  constructor(private readonly ttlMs = CACHE_TTL_MS) {}

  /** The cached answer for a key hash, when it is fresh at `nowMs`. */
  get(keyHash: string, nowMs: number): { principal: Principal | null } | undefined {
    const cached = this.entries.get(keyHash);
    return cached && cached.until > nowMs ? { principal: cached.principal } : undefined;
  }

  set(keyHash: string, principal: Principal | null, nowMs: number): void {
    if (this.entries.size > MAX_ENTRIES) this.entries.clear();
    this.entries.set(keyHash, { principal, until: nowMs + this.ttlMs });
  }

  clear(): void {
    this.entries.clear();
  }
}
