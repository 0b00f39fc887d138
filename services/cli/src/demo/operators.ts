import { DEMO_CONSORTIUM } from '@srs/db';
import type { NumberBlock } from './numbers';

/** An operator of the demo consortium, as the demo needs it. */
export interface DemoOperator {
  id: string;
  name: string;
  country: string;
  /** share of the reports that are not part of a campaign */
  weight: number;
  /** hours ahead of UTC, for the daily rhythm (daylight saving time is left out) */
  utcOffset: number;
  /** the language of its subscribers' background spam and mistaken reports */
  language: 'en' | 'fr' | 'id';
  /** its subscribers' numbers */
  reporters: NumberBlock;
  /** fictional numbers for reports sent through Kannel, which answers them by SMS */
  kannelReporters?: NumberBlock;
}

const seeded = (id: string) => {
  const op = DEMO_CONSORTIUM.operators.find((o) => o.id === id);
  if (!op) throw new Error(`the demo consortium has no operator ${id}`);
  return op;
};

/** Ofcom's drama mobile numbers, 07700 900000 to 900999: a reply sent to one reaches nobody. */
const GB_DRAMA: NumberBlock = { prefix: '447700900', digits: 3 };

/**
 * The seeded consortium (demo-uk, demo-fr) and two more operators the demo
 * adds itself: a second British network, so that campaigns cross networks in
 * one country, and an Indonesian one with spam in Bahasa Indonesia.
 */
export const DEMO_OPERATORS: readonly DemoOperator[] = [
  {
    ...seeded('demo-uk'),
    weight: 0.36,
    utcOffset: 0,
    language: 'en',
    reporters: { prefix: '+447400', digits: 6 },
    kannelReporters: GB_DRAMA,
  },
  {
    id: 'demo-uk-2',
    name: 'Demo Cellular UK',
    country: 'GB',
    weight: 0.22,
    utcOffset: 0,
    language: 'en',
    reporters: { prefix: '+447410', digits: 6 },
    kannelReporters: GB_DRAMA,
  },
  {
    ...seeded('demo-fr'),
    weight: 0.24,
    utcOffset: 1,
    language: 'fr',
    // ARCEP's fiction numbers 06 39 98 00 00 to 59 99; 60 00 to 79 99 for Kannel
    reporters: { prefix: '+3363998', digits: 4, from: 0, count: 6000 },
    kannelReporters: { prefix: '3363998', digits: 4, from: 6000, count: 2000 },
  },
  {
    id: 'demo-id',
    name: 'Demo Seluler Indonesia',
    country: 'ID',
    weight: 0.18,
    utcOffset: 7,
    language: 'id',
    reporters: { prefix: '+62812', digits: 8 },
  },
];
