import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createTestGateway, removeTempDb, tempDbPath } from '../helpers/gateway.js';

describe('temporary databases of tests and benchmarks', () => {
  it('are deleted with their folder when the gateway that made them closes', async () => {
    const gw = await createTestGateway();
    expect(existsSync(gw.dbPath)).toBe(true);
    await gw.close();
    expect(existsSync(join(gw.dbPath, '..'))).toBe(false);
  });

  it('are kept when the caller passed its own path', async () => {
    const dbPath = tempDbPath();
    const gw = await createTestGateway({ dbPath });
    await gw.close();
    expect(existsSync(dbPath)).toBe(true);
    removeTempDb(dbPath);
    expect(existsSync(dbPath)).toBe(false);
  });

  it('never deletes a folder that tempDbPath did not make', () => {
    const own = mkdtempSync(join(process.cwd(), '.tmp-keep-'));
    const file = join(own, 'gateway.db');
    mkdirSync(own, { recursive: true });
    writeFileSync(file, 'x');
    removeTempDb(file);
    expect(existsSync(file)).toBe(true);
    rmSync(own, { recursive: true, force: true });
  });
});
