import path from 'node:path';
import type { Config } from '@srs/config';
import { shownApiKeyPrefix } from '@srs/core';
import type { FeedRepository, ParticipantsRepository } from '@srs/db';
import { AppError } from '@srs/http';
import express, { Router, type RequestHandler } from 'express';
import { z } from 'zod';
import { sealedIds } from '../feed/sealed-ids';
import { LOOKUP_MAX, lookupCandidates } from './lookup-query';
import { serialiseCampaignPage } from './serialise-campaign';
import { serialiseLookupCampaign, serialiseLookupIndicator } from './serialise-lookup';
import { NOW_WINDOW, serialiseRecentCampaign } from './serialise-now';

export const lookupQuery = z.object({
  q: z.string().trim().min(1, 'enter a phone number, sender ID, domain or URL').max(LOOKUP_MAX).meta({
    description: 'a phone number in any format (read with your country), a sender ID, a domain or a URL',
    example: '07700 900123',
  }),
});

export const campaignParams = z.object({
  id: z
    .string()
    .regex(/^campaign--[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/, 'a campaign STIX id, campaign--<uuid>')
    .meta({
      description: "the campaign's STIX id, as GET /v1/portal/now and TAXII give it",
      example: 'campaign--6ba7b810-9dad-41d1-80b4-00c04fd430c8',
    }),
});

/**
 * The package root, from src/portal (tests, tsx) as from dist/portal (the
 * built service): both are two levels below it.
 */
export const PORTAL_DIR = path.join(path.resolve(__dirname, '..', '..'), 'public');

/**
 * The operators' portal: a static page under /portal/ that calls this API
 * with the operator's key (the page is public, the data is not), and the
 * JSON it draws. Scripts are files of the same origin, so helmet's default
 * Content-Security-Policy holds.
 */
export function portalRoutes(
  feed: FeedRepository,
  participants: ParticipantsRepository,
  config: Pick<Config, 'scoring' | 'sharing' | 'operator'>,
  auth: RequestHandler[],
): Router {
  const router = Router();
  const ids = sealedIds(config.sharing.idKey);

  // Who the page is signed in as, and what its key may do: the page offers only what the API would accept.
  router.get('/v1/portal/me', ...auth, async (req, res) => {
    const key = req.apiKey!;
    const operator = await participants.findOperator(key.operatorId!);
    res.set('Cache-Control', 'no-store').json({
      operator: { id: key.operatorId, name: operator?.name ?? key.operatorId, country: operator?.country ?? null },
      key: { prefix: shownApiKeyPrefix(key.prefix), scopes: key.scopes },
    });
  });

  router.get('/v1/portal/now', ...auth, async (req, res) => {
    const rows = await feed.recentCampaigns({
      viewer: req.apiKey!.operatorId!,
      sampleMinReporters: config.scoring.shareTextMinReporters,
    });
    res
      .set('Cache-Control', 'no-store')
      .json({ hours: NOW_WINDOW.hours, growth_hours: NOW_WINDOW.growthHours, data: rows.map(serialiseRecentCampaign) });
  });

  router.get('/v1/portal/lookup', ...auth, async (req, res) => {
    const { q } = lookupQuery.parse(req.query);
    const viewer = req.apiKey!.operatorId!;
    // A national number is read as the key's operator's subscribers write it.
    const country = (await participants.findOperator(viewer))?.country ?? config.operator.country;
    const candidates = lookupCandidates(q, country);
    if (candidates.length === 0) throw AppError.badRequest('invalid_field', 'q: not a phone number, sender ID, domain or URL', 'q');
    const found = await feed.lookup({ viewer, candidates, sampleMinReporters: config.scoring.shareTextMinReporters });
    res.set('Cache-Control', 'no-store').json({
      query: q,
      matched: candidates,
      indicators: found.indicators.map((r) => serialiseLookupIndicator(r, ids)),
      campaigns: found.campaigns.map((r) => serialiseLookupCampaign(r, ids)),
    });
  });

  router.get('/v1/portal/campaigns/:id', ...auth, async (req, res) => {
    const { id } = campaignParams.parse(req.params);
    const page = await feed.campaignPage({
      viewer: req.apiKey!.operatorId!,
      stixUuid: id.slice('campaign--'.length),
      sampleMinReporters: config.scoring.shareTextMinReporters,
    });
    if (!page) throw new AppError(404, 'not_found', 'no shared campaign with this id', 'id');
    res.set('Cache-Control', 'no-store').json(serialiseCampaignPage(page, ids));
  });

  router.use(
    '/portal',
    express.static(PORTAL_DIR, {
      index: 'index.html',
      redirect: true,
      // The page and its script change together with the API: always revalidate.
      maxAge: 0,
      setHeaders: (res) => res.setHeader('Cache-Control', 'no-cache'),
    }),
  );
  return router;
}
