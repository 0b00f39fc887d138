import { keyUsage } from './key-usage';

describe('keyUsage', () => {
  it('stamps a key once within the interval, and again after it', async () => {
    const calls: string[] = [];
    const used = keyUsage(async (id) => calls.push(id), 50);
    used('a');
    used('a');
    used('b');
    expect(calls).toEqual(['a', 'b']);
    await new Promise((r) => setTimeout(r, 60));
    used('a');
    expect(calls).toEqual(['a', 'b', 'a']);
  });

  it('tries again at once after a stamp that failed', async () => {
    let calls = 0;
    const used = keyUsage(async () => {
      calls += 1;
      throw new Error('database away');
    });
    used('a');
    await new Promise((r) => setImmediate(r));
    used('a');
    expect(calls).toBe(2);
  });
});
