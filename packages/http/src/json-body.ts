import express, { type RequestHandler } from 'express';
import { AppError } from './app-error';
import { pathOfNul } from './nul-characters';

/** Deeper than any document the APIs take; deeper input is an attack on whoever walks it. */
export const MAX_JSON_DEPTH = 32;

/** express.json with a nesting limit: a body nested deeper than `maxDepth` is refused with 400. */
export function jsonBody(options: Parameters<typeof express.json>[0] & { maxDepth?: number } = {}): RequestHandler[] {
  const { maxDepth = MAX_JSON_DEPTH, ...parserOptions } = options;
  return [
    express.json(parserOptions),
    (req, _res, next) => {
      if (depthExceeds(req.body, maxDepth))
        throw AppError.badRequest('body_too_deep', `request body nests deeper than ${maxDepth} levels`, 'body');
      const nul = pathOfNul(req.body);
      if (nul !== undefined) throw AppError.badRequest('invalid_text', 'text may not hold a NUL character (U+0000)', nul);
      next();
    },
  ];
}

/** Iterative, so the check itself cannot overflow the stack. */
export function depthExceeds(value: unknown, maxDepth: number): boolean {
  const stack: Array<[unknown, number]> = [[value, 1]];
  while (stack.length > 0) {
    const [node, depth] = stack.pop()!;
    if (node === null || typeof node !== 'object') continue;
    if (depth > maxDepth) return true;
    for (const child of Object.values(node)) if (child !== null && typeof child === 'object') stack.push([child, depth + 1]);
  }
  return false;
}
