/** A call the API refused or that never reached it (status 0), with the message to show. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly field?: string,
  ) {
    super(message);
  }

  /** the key was refused: the page signs out, saying why */
  get isAuth(): boolean {
    return this.status === 401 || this.status === 403;
  }
}

/** A call given up on purpose: fetch rejects with a DOMException named AbortError. */
export function isAbort(err: unknown): boolean {
  return typeof err === 'object' && err !== null && (err as { name?: unknown }).name === 'AbortError';
}
