import { addMonths, monthStart, monthsToMake, retentionPlan, rowsBeforeAfterDrops, type MonthPartition } from './partition-months';

const d = (iso: string) => new Date(iso);
const month = (y: number, m: number): MonthPartition => ({
  name: `reports_p${y}${String(m).padStart(2, '0')}`,
  from: new Date(Date.UTC(y, m - 1, 1)),
  to: new Date(Date.UTC(y, m, 1)),
});
const DEFAULT: MonthPartition = { name: 'reports_default', from: null, to: null };

describe('monthly partition calendar (UTC)', () => {
  it('finds the UTC month of an instant, whatever its offset', () => {
    expect(monthStart(d('2026-11-24T21:19:00Z'))).toEqual(d('2026-11-01T00:00:00Z'));
    // 1 December 00:30 in Paris is still November in UTC.
    expect(monthStart(d('2026-12-01T00:30:00+01:00'))).toEqual(d('2026-11-01T00:00:00Z'));
    expect(monthStart(d('2026-12-01T00:00:00Z'))).toEqual(d('2026-12-01T00:00:00Z'));
  });

  it('adds months across year ends, backwards too, from any day of the month', () => {
    expect(addMonths(d('2026-11-30T23:59:59Z'), 2)).toEqual(d('2027-01-01T00:00:00Z'));
    expect(addMonths(d('2026-01-31T12:00:00Z'), 1)).toEqual(d('2026-02-01T00:00:00Z'));
    expect(addMonths(d('2026-01-15T00:00:00Z'), -1)).toEqual(d('2025-12-01T00:00:00Z'));
    expect(addMonths(d('2026-03-01T00:00:00Z'), 0)).toEqual(d('2026-03-01T00:00:00Z'));
  });

  it('makes the current month and the months ahead', () => {
    expect(monthsToMake(d('2026-11-24T21:19:00Z'), 3)).toEqual([
      d('2026-11-01T00:00:00Z'),
      d('2026-12-01T00:00:00Z'),
      d('2027-01-01T00:00:00Z'),
      d('2027-02-01T00:00:00Z'),
    ]);
    expect(monthsToMake(d('2028-02-29T12:00:00Z'), 0)).toEqual([d('2028-02-01T00:00:00Z')]);
  });
});

describe('retention plan', () => {
  const partitions = [month(2026, 8), month(2026, 9), month(2026, 10), month(2026, 11), DEFAULT];

  it('drops the months that ended by the cutoff, and keeps the month holding it whole', () => {
    const plan = retentionPlan(partitions, d('2026-10-25T21:19:00Z'));
    expect(plan.drop.map((p) => p.name)).toEqual(['reports_p202608', 'reports_p202609']);
    // Rows of October wait for October to be dropped whole; older rows (months kept for an uncounted report) go row by row.
    expect(plan.rowsBefore).toEqual(d('2026-10-01T00:00:00Z'));
  });

  it('drops a month whose end is exactly the cutoff', () => {
    const plan = retentionPlan(partitions, d('2026-10-01T00:00:00Z'));
    expect(plan.drop.map((p) => p.name)).toEqual(['reports_p202608', 'reports_p202609']);
    expect(plan.rowsBefore).toEqual(d('2026-10-01T00:00:00Z'));
  });

  it('deletes up to the cutoff itself when no month holds it (its rows are in the DEFAULT partition)', () => {
    const plan = retentionPlan([month(2026, 11), DEFAULT], d('2026-10-25T00:00:00Z'));
    expect(plan.drop).toEqual([]);
    expect(plan.rowsBefore).toEqual(d('2026-10-25T00:00:00Z'));
  });

  it('never drops the DEFAULT partition', () => {
    expect(retentionPlan([DEFAULT], d('2030-01-01T00:00:00Z')).drop).toEqual([]);
  });

  it('leaves a month it could not lock to the next run rather than deleting it row by row', () => {
    const plan = retentionPlan(partitions, d('2026-10-25T00:00:00Z'));
    expect(rowsBeforeAfterDrops(plan, [])).toEqual(d('2026-10-01T00:00:00Z'));
    expect(rowsBeforeAfterDrops(plan, [month(2026, 9)])).toEqual(d('2026-09-01T00:00:00Z'));
  });
});
