import type { Config } from '@srs/config';
import type { ParticipantsRepository, SharingRepository, TaxiiRepository } from '@srs/db';
import { AppError, errorHandler, jsonBody, notFoundHandler, rejectNulInUrl } from '@srs/http';
import type { Logger } from '@srs/logging';
import { Router, type Request, type RequestHandler } from 'express';
import { z } from 'zod';
import { STIX_ID } from '../stix';
import { readCollection, type CollectionEntry } from './collection-objects';
import { allCollections, canWrite, collectionResource, findCollection } from './collections';
import { sealedIds, type SealedIds } from '../feed/sealed-ids';
import { encodeNext } from './cursor';
import { STIX_MEDIA_TYPE, TAXII_MEDIA_TYPE, requireTaxiiAccept, requireTaxiiContentType, sendTaxii } from './media-types';
import { publishObjects, statusResource } from './publish-objects';
import { taxiiFilters } from './query';
import { requireScope, taxiiAuth, viewerOf, type ApiKeyLookup } from './taxii-auth';
import { renderTaxiiError } from './taxii-errors';

export interface TaxiiDeps {
  repositories: { taxii: TaxiiRepository; participants: ParticipantsRepository; sharing: SharingRepository };
  config: Pick<Config, 'scoring' | 'sharing'>;
  /** where the router's own error handler logs what it refused */
  logger: Logger;
  /** the active key with this prefix (as ApiKeysRepository.findActiveByPrefix) */
  findApiKey: ApiKeyLookup;
  /** told each key verified: stamps its last use */
  keyUsed?: (keyId: string) => void;
  /** run once the key is known (req.apiKey set), e.g. the per-key rate limit */
  afterAuth?: RequestHandler[];
  /**
   * Spends the key's budget on the objects of an envelope beyond the first (the
   * request paid for one): publishing costs per object, so the limit counts objects.
   */
  chargeObjects?: (req: Request, points: number) => Promise<void>;
}

/** Largest POST body, as the API root advertises it. */
export const MAX_CONTENT_LENGTH = 1024 * 1024;

const envelopeBody = z.object({ objects: z.array(z.unknown()).min(1) });
const uuidParam = z.uuid();

/** Refused before reading: TAXII answers 413, not the body parser's 400. */
const limitBody: RequestHandler = (req, _res, next) => {
  if (Number(req.header('content-length') ?? 0) > MAX_CONTENT_LENGTH) {
    throw new AppError(413, 'payload_too_large', `an envelope may hold at most ${MAX_CONTENT_LENGTH} bytes`, 'body');
  }
  next();
};

function dateAddedHeaders(entries: readonly CollectionEntry[]): Record<string, string> {
  const first = entries[0];
  const last = entries[entries.length - 1];
  return first && last ? { 'X-TAXII-Date-Added-First': first.position.dateAdded, 'X-TAXII-Date-Added-Last': last.position.dateAdded } : {};
}

function paging(ids: SealedIds, entries: readonly CollectionEntry[], more: boolean) {
  const last = entries[entries.length - 1];
  return { more, ...(more && last ? { next: encodeNext(ids, last.position) } : {}) };
}

/**
 * TAXII 2.1 (mount at /taxii2): discovery, one API root, a collection for the
 * consortium and one for each operator's own indicators, their objects,
 * manifests and versions, POST of indicators with a status resource. Operators'
 * API keys only, as the HTTP Basic password or a Bearer token; `read` to read,
 * `publish` to add. Objects are STIX 2.1, each marked with its TLP.
 */
/** Where the TAXII 2.1 server is mounted: its discovery is `${TAXII_MOUNT}/`. */
export const TAXII_MOUNT = '/taxii2';

export function isTaxiiPath(path: string): boolean {
  return path === TAXII_MOUNT || path.startsWith(`${TAXII_MOUNT}/`);
}

export function taxiiRoutes(deps: TaxiiDeps): Router {
  const { taxii, participants, sharing } = deps.repositories;
  const sampleMinReporters = deps.config.scoring.shareTextMinReporters;
  const ids = sealedIds(deps.config.sharing.idKey);
  const router = Router();
  const readOrPublish = requireScope('read', 'publish');
  const read = requireScope('read');
  const publish = requireScope('publish');

  async function collectionOf(req: Request) {
    return findCollection(await participants.listOperators(), String(req.params.collectionId));
  }

  async function page(req: Request, filters = taxiiFilters(req, ids)) {
    return readCollection(taxii, await collectionOf(req), viewerOf(req), filters, sampleMinReporters);
  }

  /**
   * objects/{id} and objects/{id}/versions/: a page of that one object, which
   * must be in the collection. The versions resource takes no match[version].
   */
  async function oneObject(req: Request, allVersions: boolean) {
    const id = String(req.params.objectId).toLowerCase();
    if (!STIX_ID.test(id)) throw AppError.notFound('no such object in this collection');
    const { versions, ...filters } = taxiiFilters(req, ids);
    const result = await page(req, { ...filters, ids: [id], ...(versions && !allVersions ? { versions } : {}) });
    if (result.entries.length === 0 && !filters.next && !filters.addedAfter) throw AppError.notFound('no such object in this collection');
    return result;
  }

  const writableCollection: RequestHandler = async (req, _res, next) => {
    if (!canWrite(await collectionOf(req), viewerOf(req))) {
      throw new AppError(403, 'forbidden', 'an operator adds objects to its own collection only', 'collectionId');
    }
    next();
  };

  router.use(rejectNulInUrl(), taxiiAuth(deps.findApiKey, deps.keyUsed), ...(deps.afterAuth ?? []), requireTaxiiAccept);

  router.get('/', readOrPublish, (req, res) => {
    const apiRoot = `${req.protocol}://${req.get('host')}${req.baseUrl}/api/`;
    sendTaxii(res, 200, {
      title: 'Open Spam Reporting Service',
      description: 'SMS spam intelligence shared between the operators of the consortium.',
      default: apiRoot,
      api_roots: [apiRoot],
    });
  });

  router.get('/api/', readOrPublish, (_req, res) => {
    sendTaxii(res, 200, {
      title: 'SMS spam intelligence',
      description: 'Indicators (URLs, domains, e-mail addresses, phone numbers, sender IDs), campaigns and sightings.',
      versions: [TAXII_MEDIA_TYPE],
      max_content_length: MAX_CONTENT_LENGTH,
    });
  });

  router.get('/api/collections/', readOrPublish, async (req, res) => {
    const viewer = viewerOf(req);
    sendTaxii(res, 200, { collections: allCollections(await participants.listOperators()).map((c) => collectionResource(c, viewer)) });
  });

  router.get('/api/collections/:collectionId/', readOrPublish, async (req, res) => {
    sendTaxii(res, 200, collectionResource(await collectionOf(req), viewerOf(req)));
  });

  router.get('/api/collections/:collectionId/objects/', read, async (req, res) => {
    const { entries, more } = await page(req);
    sendTaxii(
      res,
      200,
      { ...paging(ids, entries, more), ...(entries.length ? { objects: entries.map((e) => e.object) } : {}) },
      dateAddedHeaders(entries),
    );
  });

  router.get('/api/collections/:collectionId/manifest/', read, async (req, res) => {
    const { entries, more } = await page(req);
    const manifest = entries.map((e) => ({
      id: e.object.id,
      date_added: e.position.dateAdded,
      version: e.version,
      media_type: STIX_MEDIA_TYPE,
    }));
    sendTaxii(res, 200, { ...paging(ids, entries, more), ...(manifest.length ? { objects: manifest } : {}) }, dateAddedHeaders(entries));
  });

  router.get('/api/collections/:collectionId/objects/:objectId/', read, async (req, res) => {
    const { entries, more } = await oneObject(req, false);
    sendTaxii(
      res,
      200,
      { ...paging(ids, entries, more), ...(entries.length ? { objects: entries.map((e) => e.object) } : {}) },
      dateAddedHeaders(entries),
    );
  });

  router.get('/api/collections/:collectionId/objects/:objectId/versions/', read, async (req, res) => {
    const { entries, more } = await oneObject(req, true);
    sendTaxii(
      res,
      200,
      { ...paging(ids, entries, more), ...(entries.length ? { versions: entries.map((e) => e.version) } : {}) },
      dateAddedHeaders(entries),
    );
  });

  router.post(
    '/api/collections/:collectionId/objects/',
    publish,
    writableCollection,
    requireTaxiiContentType,
    limitBody,
    ...jsonBody({ limit: MAX_CONTENT_LENGTH, strict: true, type: () => true }),
    async (req, res) => {
      const { objects } = envelopeBody.parse(req.body ?? {});
      const max = deps.config.sharing.taxii.maxObjects;
      if (objects.length > max) {
        throw new AppError(
          413,
          'too_many_objects',
          `an envelope may hold at most ${max} objects; this one holds ${objects.length}: send them in several`,
          'objects',
        );
      }
      await deps.chargeObjects?.(req, objects.length - 1);
      sendTaxii(res, 202, statusResource(await publishObjects(objects, viewerOf(req), sharing, taxii)));
    },
  );

  router.get('/api/status/:statusId/', readOrPublish, async (req, res) => {
    const id = uuidParam.safeParse(req.params.statusId);
    const status = id.success ? await taxii.findStatus(id.data, viewerOf(req)) : undefined;
    if (!status) throw AppError.notFound('no such status');
    sendTaxii(res, 200, statusResource(status));
  });

  // Every failure under /taxii2, an unknown path included, is a TAXII error message, not the project's JSON.
  router.use(notFoundHandler());
  router.use(errorHandler(deps.logger, renderTaxiiError));
  return router;
}
