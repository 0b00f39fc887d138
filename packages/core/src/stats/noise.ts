import { createHmac } from 'node:crypto';

/**
 * A count with two-sided geometric noise, the discrete Laplace mechanism:
 * P(noise = k) ∝ exp(−ε·|k|), so one report more or less changes the
 * probability of any answer by a factor of at most e^ε (ε-differential
 * privacy for that count). The noise is drawn from an HMAC of the cell and
 * its true count under a secret key: asking again for the same cell in the
 * same state gives the same answer, so repeated questions average nothing
 * away, and a changed count draws afresh, so successive answers never give
 * the exact change. Rounded at zero, which only post-processes.
 */
export function noisyCount(count: number, cell: string, key: string | Buffer, epsilon: number): number {
  const digest = createHmac('sha256', key).update(`${cell}\u0001${count}`).digest();
  const uniform = (offset: number) => (digest.readUIntBE(offset, 6) + 0.5) / 2 ** 48;
  const alpha = Math.exp(-epsilon);
  // Geometric with P(G ≥ k) = α^k, by inversion; the difference of two is two-sided geometric.
  const geometric = (u: number) => Math.floor(Math.log(u) / Math.log(alpha));
  return Math.max(0, count + geometric(uniform(0)) - geometric(uniform(6)));
}
