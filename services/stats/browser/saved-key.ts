import { keptKey } from '@srs/browser-kit';

/** The regulator's key, kept for the tab. */
export const regulatorKey = keptKey('srs.stats.regulatorKey');
