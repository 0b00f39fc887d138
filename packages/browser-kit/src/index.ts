/// <reference lib="dom" />
// The root typecheck (tsconfig.json, Node's types) reads these sources too; this gives it the DOM's types.

/*
 * What the regulators' dashboard (services/stats/browser) and the operators'
 * portal (services/sharing-api/browser) share. Browser code only: esbuild
 * bundles it into each page, and Node never loads it (.dependency-cruiser.cjs).
 */
export { ApiError, isAbort } from './api-error';
export { toCsv, type CsvField } from './csv';
export { all, el, find, get } from './dom';
export { saveCsv } from './download';
export { keptKey, type KeptKey } from './kept-key';
export { keyedFetch, keyedJson, type KeyedRequest } from './keyed-fetch';
export { onKeySubmit, showKeyForm, signInFailure, type KeySubmit } from './sign-in-form';
