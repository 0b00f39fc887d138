import type { RequestHandler } from 'express';
import { AppError } from './app-error';

/**
 * PostgreSQL text cannot hold U+0000: a NUL that reached a query would fail
 * it with a server error. Refuse it where it comes in, naming the field.
 */
export function rejectNulInUrl(): RequestHandler {
  return (req, _res, next) => {
    const at = req.originalUrl.indexOf('?');
    const path = at >= 0 ? req.originalUrl.slice(0, at) : req.originalUrl;
    if (/%00/.test(path) || path.includes('\u0000')) throw AppError.badRequest('invalid_path', 'the path holds a NUL character', 'path');
    if (at >= 0) {
      for (const [name, value] of new URLSearchParams(req.originalUrl.slice(at + 1))) {
        if (name.includes('\u0000') || value.includes('\u0000'))
          throw AppError.badRequest('invalid_parameter', 'a query parameter holds a NUL character', name.replaceAll('\u0000', ''));
      }
    }
    next();
  };
}

/** The path (`a.b[2]`) of the first key or string in a JSON value that holds a NUL character. */
export function pathOfNul(value: unknown): string | undefined {
  const stack: Array<[unknown, string]> = [[value, '']];
  while (stack.length > 0) {
    const [node, path] = stack.pop()!;
    if (typeof node === 'string') {
      if (node.includes('\u0000')) return path || 'body';
      continue;
    }
    if (node === null || typeof node !== 'object') continue;
    for (const [key, child] of Object.entries(node)) {
      const childPath = Array.isArray(node) ? `${path}[${key}]` : path ? `${path}.${key}` : key;
      if (key.includes('\u0000')) return childPath.replaceAll('\u0000', '');
      stack.push([child, childPath]);
    }
  }
  return undefined;
}
