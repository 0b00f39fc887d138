/** The intake as a library, for the tools that read it in process. `main.ts` is the deployable. */
export { openApiDocument } from './openapi/document';
