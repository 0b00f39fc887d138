import type { DisclosureRules } from '@srs/core';

/** The note every CSV starts with and /v1/stats/methodology serves: what is counted, and what is hidden and why. */
export function methodology(rules: DisclosureRules): string[] {
  const dominance = Math.round(rules.dominance * 100);
  return [
    'Open Spam Reporting Service: regulator statistics. Methodology.',
    'Time zone: UTC. Hours, days and ISO weeks (from Monday 00:00 UTC); a period is widened to whole buckets.',
    'Reports: SMS texts subscribers forwarded to the spam short code (or reported through an operator app), counted once the worker has classified them and the conversation is over, at the time the subscriber reported. Category is the classifier verdict; not_spam marks a mistaken report.',
    'Origin: the country of the sender number from its E.164 country code; a short code counts in the reporting operator country; an alphanumeric sender ID or a missing sender is ZZ (unknown). Sender type: long_number, short_code, alphanumeric or none.',
    'Links: a report with a link (link), with a link through a URL shortener (shortener), or with none. Domains: registrable domains linked to, counted once per report, by week; a TLD count adds its domains.',
    'Campaigns: clusters of near-identical texts (SimHash) reported by at least two subscribers, counted at their first report. Indicators: URLs, domains, numbers and sender IDs the consortium shared with operators, counted when first shared. Time to share: from the first report of an indicator to its sharing, read from histograms with bins 10% wide.',
    `Disclosure control: a count from 1 to ${rules.minCell - 1} is suppressed; a count one operator holds more than ${dominance}% of is suppressed, and so is, in the per-operator view, an operator holding more than ${dominance}% of its time bucket.`,
    'Secondary suppression hides further cells, the cheapest available, until no suppressed cell can be derived from all published cells together: every breakdown, filter and grain of a measure is one cube (a cell is the sum of its cells in each finer breakdown, of its operators, a day of its hours, a week of its days), each cell has one status in every view, and this is checked exactly on the linear system of the whole cube. A bucket is decided once it is complete and its reports are counted (the sender window and 5 minutes after it ends; hours once their day is over) and never revised, so answers at different times agree; buckets not settled yet are empty and not counted as suppressed.',
    'Live counters: each minute and category count carries random noise (discrete Laplace, epsilon = 1 per report, the same answer for the same count), so no minute is exact; the hourly and daily figures are.',
    'Period totals (published_sum) add the published cells only: where cells are suppressed or not settled they are lower bounds. Suppressed cells are empty in CSV and null in JSON. Zero is published.',
    'Raw reports may be deleted after the retention period; the statistics are kept in rollups and do not change when they are.',
  ];
}
