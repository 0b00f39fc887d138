/**
 * The helpers a pure unit test may use: no database, queue or process behind
 * them, so `packages/core` tests import this entry and never pull pg in
 * through the rest of the testkit.
 */
export { deriveHiddenCells, type PublishedSum } from './disclosure-attack';
