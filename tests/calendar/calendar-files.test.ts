/**
 * The calendar's year files are checked at start (docs/calendar.md, Data files): every bad file is
 * refused with a message naming the file and the entry, and a gateway does not start on one.
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../schemas/config.js';
import { CalendarDataError, missingYearWarning } from '../../src/calendar/calendar-data.js';
import { createMemoryLogger } from '../../src/log/logger.js';
import { readCalendarDir } from '../../src/runtime/node/calendar.js';
import { createNodeServices } from '../../src/runtime/node/services.js';
import { BUNDLED_CALENDAR_FILES } from '../../src/runtime/workers/calendar.js';
import { createTestGateway } from '../helpers/gateway.js';

const root = mkdtempSync(join(tmpdir(), 'lienthong-calendar-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let folders = 0;

/** A fresh folder holding the given files (name → JSON value, or raw text). */
function folder(files: Record<string, unknown>): string {
  folders += 1;
  const dir = join(root, `case-${folders}`);
  mkdirSync(dir);
  for (const [name, content] of Object.entries(files)) {
    writeFileSync(join(dir, name), typeof content === 'string' ? content : JSON.stringify(content));
  }
  return dir;
}

const good = () => ({
  year: 2025,
  sources: ['Bộ luật Lao động 2019, Điều 112'],
  holidays: [
    { date: '2025-01-01', name: 'Tết Dương lịch' },
    { date: '2025-04-30', name: 'Ngày Chiến thắng' },
  ],
  swappedDaysOff: [{ date: '2025-05-02', name: 'Nghỉ hoán đổi', workedOn: '2025-04-26' }],
  swappedWorkingDays: [{ date: '2025-04-26', name: 'Làm bù', replaces: '2025-05-02' }],
});

/** The problems reading `files` reports; fails the test when the folder is accepted. */
function problems(files: Record<string, unknown>): string[] {
  try {
    readCalendarDir(folder(files));
  } catch (error) {
    if (error instanceof CalendarDataError) return error.problems;
    throw error;
  }
  throw new Error('the folder was accepted');
}

describe('calendar year files', () => {
  it('accept a good file, and ignore files that are not JSON', () => {
    const years = readCalendarDir(folder({ '2025.json': good(), 'README.txt': 'notes' }));
    expect(years.map((y) => y.year)).toEqual([2025]);
  });

  it('refuse a day listed twice, naming the file and both entries', () => {
    const data = good();
    data.holidays.push({ date: '2025-04-30', name: 'Ngày Chiến thắng (lần hai)' });
    const [problem, ...rest] = problems({ '2025.json': data });
    expect(rest).toEqual([]);
    expect(problem).toContain(join(root, `case-${folders}`, '2025.json'));
    expect(problem).toContain('holidays[2] (2025-04-30 "Ngày Chiến thắng (lần hai)")');
    expect(problem).toContain('listed twice (also holidays[1]');
  });

  it('refuse a holiday that is also a swapped working day', () => {
    const data = good();
    data.holidays.push({ date: '2025-04-26', name: 'Ngày nghỉ sai' });
    const found = problems({ '2025.json': data });
    expect(found).toHaveLength(1);
    expect(found[0]).toMatch(
      /swappedWorkingDays\[0\] \(2025-04-26 "Làm bù"\): 2025-04-26 is both a day off and a swapped working day \(holidays\[2\]/,
    );
  });

  it('refuse malformed and unreal dates, naming the entry', () => {
    const data = good();
    data.holidays[0] = { date: '2025-1-1', name: 'Tết Dương lịch' };
    data.holidays[1] = { date: '2025-02-30', name: 'Không có ngày này' };
    const found = problems({ '2025.json': data });
    expect(found).toEqual([
      expect.stringContaining('holidays[0] (2025-1-1 "Tết Dương lịch").date: must be a date yyyy-MM-dd'),
      expect.stringContaining(
        'holidays[1] (2025-02-30 "Không có ngày này").date: must be a real calendar date',
      ),
    ]);
  });

  it('refuse a file whose name disagrees with its year or its dates', () => {
    expect(problems({ '2026.json': good() })).toEqual([
      expect.stringContaining('2026.json: year is 2025 but the file is named for 2026'),
      expect.stringContaining('holidays[0] (2025-01-01 "Tết Dương lịch"): the date is not in 2026'),
      expect.stringContaining('holidays[1]'),
      expect.stringContaining('swappedDaysOff[0]'),
      expect.stringContaining('swappedWorkingDays[0]'),
    ]);
    const data = good();
    data.holidays.push({ date: '2026-01-01', name: 'Tết Dương lịch 2026' });
    expect(problems({ '2025.json': data })).toEqual([
      expect.stringContaining('holidays[2] (2026-01-01 "Tết Dương lịch 2026"): the date is not in 2025'),
    ]);
    expect(problems({ 'lich-2025.json': good() })).toEqual([
      expect.stringContaining('lich-2025.json: a year file must be named yyyy.json'),
    ]);
  });

  it('refuse swaps on the wrong kind of day and a swap whose other half is missing', () => {
    const data = good();
    data.swappedWorkingDays.push({ date: '2025-04-25', name: 'Thứ Sáu', replaces: '2025-05-05' });
    data.swappedDaysOff.push({ date: '2025-05-03', name: 'Thứ Bảy', workedOn: '2025-05-10' });
    const found = problems({ '2025.json': data });
    expect(found).toEqual(
      expect.arrayContaining([
        expect.stringContaining(
          'swappedDaysOff[1] (2025-05-03 "Thứ Bảy"): a swapped day off must be a weekday',
        ),
        expect.stringContaining(
          'swappedDaysOff[1] (2025-05-03 "Thứ Bảy"): workedOn 2025-05-10, which is not',
        ),
        expect.stringContaining(
          'swappedWorkingDays[1] (2025-04-25 "Thứ Sáu"): a swapped working day must be a',
        ),
        expect.stringContaining(
          'swappedWorkingDays[1] (2025-04-25 "Thứ Sáu"): replaces 2025-05-05, which is not',
        ),
      ]),
    );
    expect(found).toHaveLength(4);
  });

  it('refuse unknown keys, missing sources, bad JSON and a missing folder', () => {
    expect(problems({ '2025.json': { ...good(), holiday: [] } })).toEqual([
      expect.stringMatching(/2025\.json: \(file\): Unrecognized key.*holiday/),
    ]);
    expect(problems({ '2025.json': { ...good(), sources: [] } })).toEqual([
      expect.stringContaining('2025.json: sources'),
    ]);
    expect(problems({ '2025.json': '{"year": 2025,' })).toEqual([
      expect.stringContaining('2025.json: not readable JSON'),
    ]);
    expect(() => readCalendarDir(join(root, 'none'))).toThrow(/CALENDAR_DIR: cannot read the folder/);
  });

  it('report the problems of every file at once', () => {
    const bad = good();
    bad.holidays.push({ date: '2025-01-01', name: 'twice' });
    const found = problems({
      '2025.json': bad,
      '2026.json': { ...good(), year: 2026, holidays: [], swappedDaysOff: [], swappedWorkingDays: [] },
      '2027.json': '[',
    });
    expect(found).toEqual([
      expect.stringContaining('2025.json: holidays[2]'),
      expect.stringContaining('2027.json: not readable JSON'),
    ]);
  });
});

describe('the shipped year files', () => {
  it('are valid, cite their sources, and are all bundled for Workers', () => {
    const years = readCalendarDir('config/calendar');
    expect(years.map((y) => y.year)).toEqual([2025, 2026]);
    for (const y of years) expect(y.sources.join(' ')).toContain('Bộ luật Lao động');
    const files = readdirSync('config/calendar').filter((n) => n.endsWith('.json'));
    expect(Object.keys(BUNDLED_CALENDAR_FILES).sort()).toEqual(files.sort());
  });
});

describe('the start warning', () => {
  it('names the current year in Vietnam when it has no file', () => {
    const years = readCalendarDir('config/calendar');
    // 31/12/2026 17:30 UTC is already 1/1/2027 in Vietnam.
    expect(missingYearWarning(years, Date.parse('2026-12-31T16:59:00Z'))).toBeUndefined();
    expect(missingYearWarning(years, Date.parse('2026-12-31T17:30:00Z'))).toContain('no year file for 2027');
  });
});

describe('the gateway start', () => {
  it('reads CALENDAR_DIR (default config/calendar) and does not start on a bad folder', async () => {
    expect(parseConfig({}).calendarDir).toBe('config/calendar');
    const gw = await createTestGateway();
    try {
      expect(gw.services.calendar.isWorkingDay('2026-02-17')).toBe(false);
      // The test clock runs in 2027, a year without a file: the start says so.
      expect(gw.logs.filter((l) => l.includes('no year file for 2027'))).toHaveLength(1);
    } finally {
      await gw.close();
    }
    const in2026 = await createTestGateway({ clock: { now: () => Date.parse('2026-11-30T03:00:00Z') } });
    try {
      expect(in2026.logs.filter((l) => l.includes('no year file'))).toEqual([]);
    } finally {
      await in2026.close();
    }
    const bad = good();
    bad.holidays.push({ date: '2025-04-26', name: 'clash' });
    const dir = folder({ '2025.json': bad });
    const dbPath = join(dir, 'gateway.db');
    const config = parseConfig({ CALENDAR_DIR: dir, DB_PATH: dbPath, SMS_ENABLED: 'false' });
    await expect(createNodeServices(config, { logger: createMemoryLogger() })).rejects.toThrow(
      /2025\.json: swappedWorkingDays\[0\] \(2025-04-26 "Làm bù"\): 2025-04-26 is both a day off/,
    );
    // Checked before anything opens: no database was created.
    expect(existsSync(dbPath)).toBe(false);
  });
});
