import { hammingDistance } from '../intel/fingerprint';

/** A campaign already stored, found through one of its LSH bands. */
export interface CampaignCandidate {
  id: number;
  simhash: string;
}

export interface Fingerprinted {
  simhash: string;
  bands: string[];
}

export type Assignment =
  | { kind: 'existing'; campaignId: number; distance: number }
  /** a campaign this batch creates; `key` is the index of the report that starts it */
  | { kind: 'new'; key: number; distance: number };

/**
 * Puts each report of a batch in the nearest campaign within `maxDistance`
 * (Hamming distance between SimHashes), among the stored candidates that
 * share a band with it and the campaigns started earlier in the same batch;
 * a report near none starts a campaign. Lookups go through the bands only, so
 * the cost does not grow with the number of campaigns.
 */
export function assignCampaigns(
  items: Fingerprinted[],
  candidates: CampaignCandidate[],
  maxDistance: number,
  bandsOf: (simhash: string) => string[],
): Assignment[] {
  type Entry = { existing?: number; key?: number; simhash: string };
  const byBand = new Map<string, Entry[]>();
  const index = (entry: Entry, bands: string[]) => {
    for (const band of bands) {
      const list = byBand.get(band);
      if (list) list.push(entry);
      else byBand.set(band, [entry]);
    }
  };
  for (const c of candidates) index({ existing: c.id, simhash: c.simhash }, bandsOf(c.simhash));

  return items.map((item, i) => {
    let best: Entry | undefined;
    let bestDistance = Infinity;
    for (const band of item.bands) {
      for (const entry of byBand.get(band) ?? []) {
        const d = hammingDistance(item.simhash, entry.simhash);
        // Ties go to a stored campaign: it has the longer history.
        if (d < bestDistance || (d === bestDistance && entry.existing !== undefined && best?.existing === undefined)) {
          best = entry;
          bestDistance = d;
        }
      }
    }
    if (best && bestDistance <= maxDistance) {
      return best.existing !== undefined
        ? { kind: 'existing', campaignId: best.existing, distance: bestDistance }
        : { kind: 'new', key: best.key!, distance: bestDistance };
    }
    index({ key: i, simhash: item.simhash }, item.bands);
    return { kind: 'new', key: i, distance: 0 };
  });
}
