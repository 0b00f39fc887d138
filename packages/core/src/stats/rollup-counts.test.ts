import { reportIncrements, indicatorIncrements } from './rollup-counts';
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
      expect.objectContaining({ grain: 'hour', bucket: new Date('2026-11-04T10:00:00Z'), category: 'smishing', originCountry: 'NG', senderType: 'long_number', linkKind: '', reports: 2 }),
      expect.objectContaining({ grain: 'day', bucket: new Date('2026-11-04T00:00:00Z'), reports: 2 }),
    ]);
    expect(reports.filter((r) => r.cuboid === 0)).toEqual([
      expect.objectContaining({ grain: 'hour', category: '', originCountry: '', senderType: '', linkKind: '', operatorId: 'op-a', reports: 2 }),
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
