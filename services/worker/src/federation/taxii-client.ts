import { z } from 'zod';

export const TAXII_MEDIA_TYPE = 'application/taxii+json;version=2.1';

export interface PeerCredentials {
  kind: 'basic' | 'bearer';
  /** Basic only */
  username: string | null;
  secret: string;
}

export interface ObjectsPage {
  objects: Array<Record<string, unknown>>;
  more: boolean;
  next: string | undefined;
  /** X-TAXII-Date-Added-Last, as the peer wrote it: where the next pull resumes */
  dateAddedLast: string | undefined;
}

const envelope = z.object({
  more: z.boolean().optional(),
  next: z.string().optional(),
  objects: z.array(z.record(z.string(), z.unknown())).optional(),
});
const collections = z.object({
  collections: z.array(z.object({ id: z.string(), can_read: z.boolean() })).optional(),
});
const errorMessage = z.object({ title: z.string(), description: z.string().optional() });

/** A failure of the peer's TAXII server, with what its error message said. */
export class PeerRequestError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = 'PeerRequestError';
  }
}

/**
 * The few TAXII 2.1 requests a pull makes of a peer's API root, each with
 * the TAXII media type in Accept and the peer's credentials. Redirects are
 * refused, so the credentials go to the configured server alone.
 */
export class TaxiiClient {
  private readonly root: string;

  constructor(
    apiRoot: string,
    private readonly credentials: PeerCredentials,
    private readonly timeoutMs = 30_000,
  ) {
    this.root = apiRoot.endsWith('/') ? apiRoot : `${apiRoot}/`;
  }

  /** The ids of the collections the peer lets this deployment read. */
  async readableCollections(): Promise<string[]> {
    const { body } = await this.get('collections/');
    return (collections.parse(body).collections ?? []).filter((c) => c.can_read).map((c) => c.id);
  }

  async objects(collectionId: string, page: { addedAfter?: string; next?: string; limit?: number }): Promise<ObjectsPage> {
    const query = new URLSearchParams();
    if (page.addedAfter) query.set('added_after', page.addedAfter);
    if (page.next) query.set('next', page.next);
    if (page.limit) query.set('limit', String(page.limit));
    const search = query.size ? `?${query.toString()}` : '';
    const { body, headers } = await this.get(`collections/${encodeURIComponent(collectionId)}/objects/${search}`);
    const parsed = envelope.parse(body);
    return {
      objects: parsed.objects ?? [],
      more: parsed.more ?? false,
      next: parsed.next,
      dateAddedLast: headers.get('x-taxii-date-added-last') ?? undefined,
    };
  }

  private authorization(): string {
    const { kind, username, secret } = this.credentials;
    return kind === 'bearer' ? `Bearer ${secret}` : `Basic ${Buffer.from(`${username ?? ''}:${secret}`).toString('base64')}`;
  }

  private async get(path: string): Promise<{ body: unknown; headers: Headers }> {
    const url = new URL(path, this.root);
    const res = await fetch(url, {
      headers: { Accept: TAXII_MEDIA_TYPE, Authorization: this.authorization() },
      redirect: 'error',
      signal: AbortSignal.timeout(this.timeoutMs),
    });
    const text = await res.text();
    let body: unknown;
    try {
      body = text ? JSON.parse(text) : {};
    } catch {
      throw new PeerRequestError(res.status, `GET ${url.pathname}: ${res.status}, not JSON`);
    }
    if (!res.ok) {
      const error = errorMessage.safeParse(body);
      const said = error.success ? `: ${error.data.title}${error.data.description ? ` (${error.data.description})` : ''}` : '';
      throw new PeerRequestError(res.status, `GET ${url.pathname}: ${res.status}${said}`);
    }
    if (!(res.headers.get('content-type') ?? '').startsWith('application/taxii+json')) {
      throw new PeerRequestError(res.status, `GET ${url.pathname}: not ${TAXII_MEDIA_TYPE}`);
    }
    return { body, headers: res.headers };
  }
}
