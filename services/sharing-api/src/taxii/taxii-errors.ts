import { STATUS_CODES } from 'node:http';
import type { ErrorRenderer } from '@srs/http';
import { sendTaxii } from './media-types';

/**
 * A failure as a TAXII 2.1 error message (section 3.6.1): `title`, the HTTP
 * status as a string, the project's code and message, and the request id as
 * `error_id`, so an operator quoting it can be found in the logs. Headers the
 * error carries (WWW-Authenticate, Retry-After) go out as they are.
 */
export const renderTaxiiError: ErrorRenderer = (error, req, res) => {
  res.set(error.headers);
  sendTaxii(res, error.status, {
    title: STATUS_CODES[error.status] ?? 'Error',
    description: error.message,
    error_id: req.id,
    error_code: error.code,
    http_status: String(error.status),
    ...(error.field ? { details: { field: error.field } } : {}),
  });
};
