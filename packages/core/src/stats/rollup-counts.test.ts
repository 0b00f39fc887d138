import { reportIncrements, indicatorIncrements, recategorisedIncrements } from './rollup-counts';
import { senderOrigin } from './report-features';

const base = {
  operatorId: 'op-a',
  operatorCountry: 'GB',
  category: 'smishing',
  receivedAt: new Date('2026-11-04T10:15:00Z'),
  senderKind: 'msisdn' as const,
  senderValue: '+2348031234567',
  linkKind: 'link' as const,
  linkDomains: ['parcel-fee.top'],
};

describe('statistics rollup counts', () => {
  it('counts a report once per hour and once per day, with its origin and links', () => {
    const { reports, domains } = reportIncrements([base, { ...base, receivedAt: new Date('2026-11-04T10:45:00Z') }]);
    expect(reports.filter((r) => r.cuboid === 7)).toEqual([
      expect.objectContaining({
        grain: 'hour',
        bucket: new Date('2026-11-04T10:00:00Z'),
        category: 'smishing',
        originCountry: 'NG',
        senderType: 'long_number',
        linkKind: '',
        reports: 2,
      }),
      expect.objectContaining({ grain: 'day', bucket: new Date('2026-11-04T00:00:00Z'), reports: 2 }),
    ]);
    expect(reports.filter((r) => r.cuboid === 0)).toEqual([
      expect.objectContaining({
        grain: 'hour',
        category: '',
        originCountry: '',
        senderType: '',
        linkKind: '',
        operatorId: 'op-a',
        reports: 2,
      }),
      expect.objectContaining({ grain: 'day', reports: 2 }),
    ]);
    // Twelve cuboids (sender type and links are never combined), at two grains.
    expect(reports).toHaveLength(24);
    expect(domains.filter((d) => d.cuboid === 0)).toEqual([
      expect.objectContaining({ week: new Date('2026-11-02T00:00:00Z'), domain: 'parcel-fee.top', tld: 'top', category: '', reports: 2 }),
    ]);
    expect(domains).toHaveLength(4);
  });

  it('leaves the links of mistaken reports out of the abused domains', () => {
    expect(reportIncrements([{ ...base, category: 'not_spam' }]).domains).toEqual([]);
  });

  it('places a short code in the operator country and a sender ID nowhere', () => {
    expect(senderOrigin('short_code', '60300', 'FR')).toEqual({ senderType: 'short_code', country: 'FR' });
    expect(senderOrigin('alphanumeric', 'AMAZON', 'FR')).toEqual({ senderType: 'alphanumeric', country: 'ZZ' });
    expect(senderOrigin(null, null, 'FR')).toEqual({ senderType: 'none', country: 'ZZ' });
    expect(senderOrigin('msisdn', '+447700900123', 'FR')).toEqual({ senderType: 'long_number', country: 'GB' });
  });

  it('measures the time from first report to sharing', () => {
    const { delays, indicators } = indicatorIncrements([
      { type: 'domain', category: 'smishing', firstSeen: new Date('2026-11-04T10:00:00Z'), sharedAt: new Date('2026-11-04T10:10:00Z') },
    ]);
    expect(indicators).toHaveLength(2);
    expect(delays).toEqual([expect.objectContaining({ day: new Date('2026-11-04T00:00:00Z'), category: 'smishing', count: 1 })]);
    expect(delays[0]!.bin).toBe(Math.floor(Math.log(601) / Math.log(1.1)));
  });
});

describe('moving counted reports to their campaign verdict category', () => {
  const report = {
    operatorId: 'op-a',
    operatorCountry: 'GB',
    receivedAt: new Date('2026-11-02T10:15:00Z'),
    senderKind: 'msisdn' as const,
    senderValue: '+447700900123',
    linkKind: 'link' as const,
    linkDomains: ['lure.example'],
  };

  it('takes one from every cell of the old category and adds one to the new, leaving the totals alone', () => {
    const { reports, domains } = recategorisedIncrements([{ ...report, category: 'fraud', countedCategory: 'not_spam' }]);
    expect(reports.every((c) => c.category === 'fraud' || c.category === 'not_spam')).toBe(true);
    expect(reports.filter((c) => c.category === 'fraud').every((c) => c.reports === 1)).toBe(true);
    expect(reports.filter((c) => c.category === 'not_spam').every((c) => c.reports === -1)).toBe(true);
    expect(reports.filter((c) => c.category === 'fraud')).toHaveLength(reports.length / 2);
    // A report that was not spam had no abused domain; as fraud it has one.
    expect(domains.length).toBeGreaterThan(0);
    expect(domains.every((d) => d.reports === 1)).toBe(true);
  });

  it('is the difference of counting the report under each category', () => {
    const moved = recategorisedIncrements([{ ...report, category: 'smishing', countedCategory: 'fraud' }]);
    const key = (c: {
      grain: string;
      cuboid: number;
      bucket: Date;
      category: string;
      originCountry: string;
      senderType: string;
      linkKind: string;
      operatorId: string;
    }) => [c.grain, c.cuboid, c.bucket.getTime(), c.category, c.originCountry, c.senderType, c.linkKind, c.operatorId].join('|');
    const net = new Map<string, number>();
    for (const c of reportIncrements([{ ...report, category: 'smishing' }]).reports) net.set(key(c), (net.get(key(c)) ?? 0) + c.reports);
    for (const c of reportIncrements([{ ...report, category: 'fraud' }]).reports) net.set(key(c), (net.get(key(c)) ?? 0) - c.reports);
    const expected = [...net].filter(([, n]) => n !== 0).sort();
    expect(moved.reports.map((c) => [key(c), c.reports] as const).sort()).toEqual(expected);
  });
});
