/** One item of GET /v1/sightings: this operator's own feedback. */
export interface Sighting {
  id: string;
  indicator_id: string;
  type: string;
  value: string;
  kind: 'blocked' | 'false_positive';
  count: number;
  note: string | null;
  observed_at: string;
  created_at: string;
  revoked_at: string | null;
  status: string;
}

export interface SightingPage {
  data: Sighting[];
  next: string | null;
  has_more: boolean;
}
