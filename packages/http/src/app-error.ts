/** The one error type services throw for anything a client or operator should see. */
export class AppError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly field?: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = 'AppError';
  }

  static badRequest(code: string, message: string, field?: string): AppError {
    return new AppError(400, code, message, field);
  }

  static unavailable(code: string, message: string, retryAfterSeconds = 1): AppError {
    return new AppError(503, code, message, undefined, { 'Retry-After': String(retryAfterSeconds) });
  }

  static notFound(message = 'no such resource'): AppError {
    return new AppError(404, 'not_found', message);
  }
}
