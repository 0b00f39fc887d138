import { reporterVerdict } from './rate-limits';

describe('reporterVerdict', () => {
  const limits = { perMinute: 3, perDay: 10 };

  it('lets a subscriber through up to each limit', () => {
    expect(reporterVerdict({ minute: 3, day: 3 }, limits)).toBe('ok');
    expect(reporterVerdict({ minute: 1, day: 10 }, limits)).toBe('ok');
  });

  it('warns once when a window is first exceeded, then drops silently', () => {
    expect(reporterVerdict({ minute: 4, day: 0 }, limits)).toBe('throttled_first');
    expect(reporterVerdict({ minute: 5, day: 0 }, limits)).toBe('throttled');
    expect(reporterVerdict({ minute: 1, day: 11 }, limits)).toBe('throttled_first');
    expect(reporterVerdict({ minute: 2, day: 12 }, limits)).toBe('throttled');
  });
});
