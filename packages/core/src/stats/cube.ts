/**
 * The statistics are a data cube: each count is kept once per cuboid, a set
 * of the dimensions a regulator may break down or filter by, so a query reads
 * only the rows at its own level of detail. A cuboid is a bit mask of these.
 */
export const REPORT_DIMENSIONS = { category: 1, country: 2, sender_type: 4, link: 8 } as const;
export type ReportDimension = keyof typeof REPORT_DIMENSIONS;

/** Breakdowns by sender type and by link kind are never combined, so those cuboids are not kept. */
export const REPORT_CUBOIDS: readonly number[] = Array.from({ length: 16 }, (_, mask) => mask).filter((mask) => (mask & 12) !== 12);

/** Domains are filtered by category and origin country. */
export const DOMAIN_CUBOIDS: readonly number[] = [0, 1, 2, 3];
