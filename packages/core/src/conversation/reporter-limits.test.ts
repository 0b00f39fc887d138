import { countMessage, reporterVerdict } from './reporter-limits';

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

describe('countMessage', () => {
  const limits = { perMinute: 3, perDay: 5 };
  const countAll = (times: number[]) => {
    let windows;
    const verdicts = [];
    for (const at of times) {
      const counted = countMessage(windows, at, limits);
      windows = counted.windows;
      verdicts.push(counted.verdict);
    }
    return verdicts;
  };

  it('warns once when the minute is exceeded and drops the rest of that minute', () => {
    expect(countAll([0, 1, 2, 3, 4])).toEqual(['ok', 'ok', 'ok', 'throttled_first', 'throttled']);
  });

  it('opens a new minute a minute after the first message of the last one', () => {
    expect(countAll([0, 1, 2, 3, 60_000])).toEqual(['ok', 'ok', 'ok', 'throttled_first', 'ok']);
  });

  it('counts towards the day only what the minute let through', () => {
    // 3 a minute pass; the day (5) is reached in the second minute, whatever was dropped in the first.
    expect(countAll([0, 1, 2, 3, 4, 5, 60_000, 60_001, 60_002])).toEqual([
      'ok',
      'ok',
      'ok',
      'throttled_first',
      'throttled',
      'throttled',
      'ok',
      'ok',
      'throttled_first',
    ]);
  });
});
