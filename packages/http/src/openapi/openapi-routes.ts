import { Router } from 'express';
import type { OpenApiDocument } from './api-document';
import { renderReference } from './reference-page';

/** GET /openapi.json and a browsable reference at GET /docs; both public, like any API documentation. */
export function openApiRoutes(document: OpenApiDocument): Router {
  const router = Router();
  const page = renderReference(document as Parameters<typeof renderReference>[0]);
  router.get('/openapi.json', (_req, res) => {
    res.json(document);
  });
  router.get('/docs', (_req, res) => {
    res.type('html').send(page);
  });
  return router;
}
