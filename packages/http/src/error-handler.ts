import type { ErrorRequestHandler, Request, RequestHandler, Response } from 'express';
import type { Logger } from 'pino';
import { ZodError } from 'zod';
import { AppError } from './app-error';

export interface ErrorBody {
  error: { code: string; message: string; field?: string; requestId: string };
}

/** body-parser and raw-body signal their failures with `type`; map them to answers that name the problem. */
function fromBodyParser(err: { type?: string; status?: number }): AppError | undefined {
  switch (err.type) {
    case 'entity.too.large':
      return AppError.badRequest('body_too_large', 'request body is larger than this endpoint accepts', 'body');
    case 'entity.parse.failed':
      return AppError.badRequest('malformed_body', 'request body could not be parsed', 'body');
    case 'encoding.unsupported':
    case 'charset.unsupported':
      return new AppError(415, 'unsupported_charset', 'request body charset is not supported', 'body');
    case 'request.aborted':
      return AppError.badRequest('request_aborted', 'request was aborted by the client', 'body');
    default:
      return undefined;
  }
}

export function toAppError(err: unknown): AppError | undefined {
  if (err instanceof AppError) return err;
  if (err instanceof ZodError) {
    const issue = err.issues[0];
    // An unknown field sits at its object's path; naming the field itself tells the client which one to drop.
    const unknown = issue?.code === 'unrecognized_keys' ? issue.keys[0] : undefined;
    const field = [...(issue?.path ?? []), ...(unknown ? [unknown] : [])].join('.') || undefined;
    return AppError.badRequest('invalid_field', field ? `${field}: ${issue?.message}` : 'invalid request', field);
  }
  if (err && typeof err === 'object' && 'type' in err) return fromBodyParser(err as { type?: string });
  return undefined;
}

/**
 * How a failure reaches the client. Every service answers the project's JSON;
 * a router speaking a protocol with an error format of its own (TAXII) hands
 * its own renderer to an errorHandler mounted on that router.
 */
export type ErrorRenderer = (error: AppError, req: Request, res: Response) => void;

/** The project's JSON for a failure. */
export function jsonErrorBody(appError: AppError, requestId: string): ErrorBody {
  return {
    error: {
      code: appError.code,
      message: appError.message,
      ...(appError.field ? { field: appError.field } : {}),
      requestId,
    },
  };
}

export const renderJsonError: ErrorRenderer = (appError, req, res) => {
  res.status(appError.status).set(appError.headers).json(jsonErrorBody(appError, req.id));
};

/**
 * What a failure is answered as (internals of an unknown error never reach the
 * client), logged: a 5xx with its error at error, a rejected request at info.
 */
export function failureOf(err: unknown, logger: Logger, req: { id: string; path: string }): AppError {
  const appError = toAppError(err) ?? new AppError(500, 'internal_error', 'internal error');
  if (appError.status >= 500) logger.error({ err, requestId: req.id, path: req.path }, 'request failed');
  else logger.info({ code: appError.code, field: appError.field, requestId: req.id, path: req.path }, 'request rejected');
  return appError;
}

/** One error middleware for every service: a code, the offending field and the request id, no internals; JSON unless told otherwise. */
export function errorHandler(logger: Logger, render: ErrorRenderer = renderJsonError): ErrorRequestHandler {
  return (err, req, res, _next) => {
    const appError = failureOf(err, logger, req);
    if (res.headersSent) return;
    render(appError, req, res);
  };
}

export function notFoundHandler(): RequestHandler {
  return (req, _res, next) => next(AppError.notFound(`no route for ${req.method} ${req.path}`));
}
