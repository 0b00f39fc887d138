import type { ApiError } from '@srs/browser-kit';

/** What the portal's scopes allow, as GET /v1/portal/me tells the page. */
export interface PortalSession {
  operator: { id: string; name: string; country: string | null };
  key: { prefix: string; scopes: string[] };
}

/** What every view is handed: the key to call the API with, what it may do, and where a refused key goes. */
export interface PortalContext {
  key: string;
  session: PortalSession;
  /** true when the key has the scope: the page offers only what the API would accept */
  can(scope: 'read' | 'publish' | 'feedback' | 'admin'): boolean;
  /** a refused key (401, 403) signs the page out, saying why */
  authFailed(err: ApiError): void;
}

export function portalContext(key: string, session: PortalSession, authFailed: (err: ApiError) => void): PortalContext {
  return { key, session, can: (scope) => session.key.scopes.includes(scope), authFailed };
}
