/**
 * Traffic Light Protocol 2.0 (FIRST): how far an indicator an operator
 * shares may travel. Least to most restrictive; the feed, the sharing API's
 * schemas, STIX markings and the database all take their levels from here.
 */
export const TLP_LEVELS = ['clear', 'green', 'amber', 'amber+strict', 'red'] as const;
export type Tlp = (typeof TLP_LEVELS)[number];
