import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ProcedureCatalogueError, parseProcedureCatalogue } from '../../src/deadlines/procedures.js';
import { loadProcedureCatalogue } from '../../src/runtime/node/procedures.js';
import { createTestGateway, dossierBody, json, type TestGateway } from '../helpers/gateway.js';

describe('the procedure catalogue', () => {
  it('ships a valid config/procedures.json covering the procedures the fixtures and benchmarks use', () => {
    const catalogue = loadProcedureCatalogue('config/procedures.json');
    for (const code of [
      '1.004227',
      '2.000477',
      '1.001776',
      '2.002156',
      '1.010800',
      '1.000894',
      '2.001711',
      '1.003003',
    ]) {
      expect(catalogue.workingDays(code), code).toBeGreaterThan(0);
    }
    for (const code of ['1.001193', '1.000656', '1.003010', '1.002273', '2.000889', '1.000001']) {
      expect(catalogue.workingDays(code), code).toBeGreaterThan(0);
    }
    expect(catalogue.workingDays('9.999999')).toBeUndefined();
    // Every entry says where its duration comes from, or that it is an example to replace.
    const file = JSON.parse(readFileSync('config/procedures.json', 'utf8')) as {
      procedures: { source?: string }[];
    };
    expect(file.procedures.every((p) => typeof p.source === 'string' && p.source.length > 0)).toBe(true);
  });

  it('names the file, the entry and the field of every problem', () => {
    const bad = {
      procedures: [
        { code: '1.004227', name: 'Cấp phép', workingDays: 15 },
        { code: '1.004227', name: 'Lần nữa', workingDays: 10 },
        { code: 'XD-01', name: 'Sai mã', workingDays: 3 },
        { code: '2.000477', name: 'Âm', workingDays: -1 },
        { code: '2.000478', name: 'Thừa', workingDays: 1, hours: 8 },
      ],
    };
    let error: unknown;
    try {
      parseProcedureCatalogue(bad, 'config/x.json');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ProcedureCatalogueError);
    const message = (error as Error).message;
    expect(message).toContain('procedure catalogue config/x.json is invalid');
    expect(message).toContain('procedures[1] (1.004227).code: 1.004227 is listed twice');
    expect(message).toContain('procedures[2] (XD-01).code: not a procedure code');
    expect(message).toContain('procedures[3] (2.000477).workingDays');
    expect(message).toContain('procedures[4] (2.000478): Unrecognized key: "hours"');
  });

  it('stops the start when PROCEDURES_PATH is missing or bad', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lienthong-procedures-'));
    const badPath = join(dir, 'procedures.json');
    writeFileSync(
      badPath,
      JSON.stringify({ procedures: [{ code: '1.004227', name: 'x', workingDays: 'ten' }] }),
    );
    await expect(createTestGateway({ env: { PROCEDURES_PATH: badPath } })).rejects.toThrow(
      /procedures\[0\] \(1\.004227\)\.workingDays/,
    );
    await expect(createTestGateway({ env: { PROCEDURES_PATH: join(dir, 'none.json') } })).rejects.toThrow(
      /PROCEDURES_PATH: cannot read the procedure catalogue/,
    );
    rmSync(dir, { recursive: true, force: true });
  });
});

describe('computed due dates backfilled at start', () => {
  it('stores the due date of a dossier written while the catalogue did not list its procedure', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lienthong-procedures-'));
    const empty = join(dir, 'procedures.json');
    writeFileSync(empty, JSON.stringify({ procedures: [] }));
    const dbPath = join(dir, 'gateway.db');
    const first = await createTestGateway({ dbPath, env: { PROCEDURES_PATH: empty } });
    const res = await first.request('POST', '/v1/dossiers', {
      body: dossierBody({ dueAt: undefined, receivedAt: '2026-11-02T08:00:00+07:00' }),
    });
    expect(res.status).toBe(201);
    const id = (await json(res)).id as string;
    const due = (gw: TestGateway) =>
      gw.sqlite.prepare('SELECT due_at_ms FROM dossiers WHERE id = ?').pluck().get(id) as number | null;
    expect(due(first)).toBeNull();
    await first.close();
    // Restarted with the shipped catalogue: 1.004227 lasts 15 working days, 02/11 + 15 = 23/11/2026.
    const second = await createTestGateway({ dbPath });
    expect(due(second)).toBe(Date.parse('2026-11-23T08:00:00+07:00'));
    await second.close();
    rmSync(dir, { recursive: true, force: true });
  });
});
