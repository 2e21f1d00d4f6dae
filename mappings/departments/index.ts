/**
 * The departmental profiles the gateway knows, by name (docs/departments.md, Adding a department):
 * a new department is a profile file listed here, with its fixtures and tests.
 */
import { civilStatusProfile } from './civil-status.js';
import { landRegistryProfile } from './land-registry.js';
import type { DepartmentProfile } from './profile.js';

export const PROFILES: Readonly<Record<string, DepartmentProfile>> = {
  [landRegistryProfile.profile]: landRegistryProfile,
  [civilStatusProfile.profile]: civilStatusProfile,
};

export function profileNamed(name: string): DepartmentProfile | undefined {
  return Object.hasOwn(PROFILES, name) ? PROFILES[name] : undefined;
}

export * from './map.js';
/** The transports forwarding can send (docs/departments.md, Transports). */
export const SENDABLE_TRANSPORTS: readonly string[] = ['rest-json', 'rest-xml', 'soap'];

export type { DepartmentProfile } from './profile.js';
