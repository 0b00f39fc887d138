import { noisyCount } from './noise';

describe('noisyCount', () => {
  it('gives the same answer for the same cell and count, and a fresh one when the count changes', () => {
    expect(noisyCount(12, 'minute-a|smishing', 'key', 1)).toBe(noisyCount(12, 'minute-a|smishing', 'key', 1));
    const answers = new Set(Array.from({ length: 40 }, (_, i) => noisyCount(12, `minute-${i}|smishing`, 'key', 1) - 12));
    expect(answers.size).toBeGreaterThan(3);
  });

  it('has noise of mean zero and the spread ε gives', () => {
    const epsilon = 1;
    const n = 20_000;
    let sum = 0;
    let squares = 0;
    for (let i = 0; i < n; i++) {
      const noise = noisyCount(1000, `cell-${i}`, 'key', epsilon) - 1000;
      sum += noise;
      squares += noise * noise;
    }
    const alpha = Math.exp(-epsilon);
    const variance = (2 * alpha) / (1 - alpha) ** 2;
    expect(Math.abs(sum / n)).toBeLessThan(0.05);
    expect(squares / n).toBeGreaterThan(variance * 0.9);
    expect(squares / n).toBeLessThan(variance * 1.1);
  });

  it('changes with the key, so no one without it can take the noise off', () => {
    const a = Array.from({ length: 20 }, (_, i) => noisyCount(50, `c${i}`, 'one', 1));
    const b = Array.from({ length: 20 }, (_, i) => noisyCount(50, `c${i}`, 'two', 1));
    expect(a).not.toEqual(b);
  });
});
