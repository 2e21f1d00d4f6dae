/**
 * Sandbox mode (no upstream configured): demo clients so a newcomer can call the API at once.
 * Keys are shown once; on each start the previous demo keys are revoked and new ones issued.
 */
import type { ClientInput } from '../../../schemas/client.js';
import type { Clients } from '../../clients/client.js';

/** Where the sandbox's departmental simulators listen (docs/departments.md, Simulators and sandbox). */
export interface SandboxDepartmentUrls {
  landRegistry: string;
  civilStatus: string;
  /** Where each simulator shows what it holds. */
  landRegistryRecords: string;
  civilStatusRecords: string;
}

export const DEMO_AGENCIES = ['000.00.15.H24', '000.00.16.H24'];

const DEMO_CLIENTS: ClientInput[] = [
  { name: 'demo: one-stop software', role: 'department', system: 'motcua', agencies: DEMO_AGENCIES },
  {
    name: 'demo: construction dept. software',
    role: 'department',
    system: 'xaydung',
    agencies: ['000.00.15.H24'],
  },
  { name: 'demo: postal service', role: 'postal', agencies: [] },
  { name: 'demo: operator', role: 'operator', agencies: [] },
  { name: 'demo: admin', role: 'admin', agencies: [] },
];

/** Revokes every active demo client; returns how many. */
export async function revokeDemoClients(clients: Clients): Promise<number> {
  let n = 0;
  for (const c of await clients.list()) {
    if (c.name.startsWith('demo: ') && c.revokedAt === null) {
      await clients.revoke(c.id);
      n += 1;
    }
  }
  return n;
}

/** Revokes earlier demo clients and creates fresh ones; returns them with their keys. */
export async function createDemoClients(clients: Clients) {
  await revokeDemoClients(clients);
  const created = [];
  for (const input of DEMO_CLIENTS) created.push(await clients.add(input));
  return created;
}

/**
 * What `npm start` prints in sandbox mode: the demo keys, where to see what the portal simulator
 * received (its `/__sim/stats` route; every delivery is also logged at info as `transfers delivered`),
 * and where the departmental simulators are, with what they hold (`/__sim/records`).
 */
export function sandboxBanner(
  demo: { role: string; name: string; key: string }[],
  simulatorUrl?: string,
  smsSimulatorUrl?: string,
  departments?: SandboxDepartmentUrls,
  gatewayUrl?: string,
): string {
  const lines = demo.map((c) => `  ${c.role.padEnd(10)} ${c.name.padEnd(36)} ${c.key}`);
  const simulator = simulatorUrl
    ? `Portal simulator: ${simulatorUrl} (what it received so far: curl ${simulatorUrl}/__sim/stats)\n`
    : 'Delivery worker off (WORKER_ENABLED=false): nothing is sent to the portal simulator.\n';
  const sms = smsSimulatorUrl
    ? `SMS provider simulator: ${smsSimulatorUrl} (texts so far: curl ${smsSimulatorUrl}/__sim/messages)\n`
    : '';
  const d = departments;
  const dept = d
    ? `Land-registry simulator (REST, system vpdk): ${d.landRegistry} (records: curl ${d.landRegistryRecords})\n` +
      `Civil-status simulator (SOAP, system hotich): ${d.civilStatus}?wsdl (records: curl ${d.civilStatusRecords})\n`
    : '';
  const ops = gatewayUrl
    ? `Operators' dashboard: ${gatewayUrl}/ops (sign in with the operator key above; docs/dashboard.md)\n`
    : '';
  return `\nSandbox mode: no PORTAL_URL configured. Demo API keys (shown once, replaced at every start):\n${lines.join('\n')}\n${simulator}${sms}${dept}${ops}\n`;
}
