/**
 * A readable reference of the OpenAPI document, rendered on the server: no
 * script and nothing fetched from elsewhere, so it works on any network.
 */
interface Operation {
  operationId?: string;
  summary?: string;
  description?: string;
  parameters?: Array<{ name: string; in: string; required?: boolean; description?: string; schema?: unknown }>;
  requestBody?: { content?: Record<string, { schema?: unknown }> };
  responses?: Record<string, { description?: string; content?: Record<string, { schema?: unknown }> }>;
  security?: Array<Record<string, string[]>>;
}

interface Document {
  info: { title: string; version: string; description?: string };
  paths?: Record<string, Record<string, Operation>>;
  components?: { schemas?: Record<string, unknown>; securitySchemes?: Record<string, unknown> };
}

const escape = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
const code = (value: unknown) => `<pre><code>${escape(JSON.stringify(value, null, 2))}</code></pre>`;

export function renderReference(doc: Document): string {
  const operations = Object.entries(doc.paths ?? {}).flatMap(([path, methods]) =>
    Object.entries(methods).map(([method, op]) => ({ path, method: method.toUpperCase(), op })),
  );
  const nav = operations
    .map(({ path, method }, i) => `<li><a href="#op-${i}"><span class="m">${method}</span> ${escape(path)}</a></li>`)
    .join('');
  const body = operations
    .map(({ path, method, op }, i) => {
      const params = (op.parameters ?? [])
        .map(
          (p) =>
            `<tr><td><code>${escape(p.name)}</code></td><td>${escape(p.in)}</td><td>${p.required ? 'yes' : 'no'}</td><td>${escape(p.description ?? '')}</td><td>${code(p.schema)}</td></tr>`,
        )
        .join('');
      const request = Object.entries(op.requestBody?.content ?? {})
        .map(([type, media]) => `<p><code>${escape(type)}</code></p>${code(media.schema)}`)
        .join('');
      const security = (op.security ?? [])
        .map(
          (requirement) =>
            Object.keys(requirement)
              .map((name) => `<a href="#scheme-${escape(name)}">${escape(name)}</a>`)
              .join(' + ') || 'none',
        )
        .join(' or ');
      const responses = Object.entries(op.responses ?? {})
        .map(([status, r]) => `<li><strong>${escape(status)}</strong> ${escape(r.description ?? '')}</li>`)
        .join('');
      return `<section id="op-${i}">
  <h2><span class="m">${method}</span> <code>${escape(path)}</code></h2>
  ${op.summary ? `<p><strong>${escape(op.summary)}</strong></p>` : ''}
  ${op.operationId ? `<p>operationId <code>${escape(op.operationId)}</code></p>` : ''}
  ${security ? `<p>Authentication: ${security}</p>` : ''}
  ${op.description ? `<p>${escape(op.description)}</p>` : ''}
  ${params ? `<h3>Parameters</h3><table><thead><tr><th scope="col">name</th><th scope="col">in</th><th scope="col">required</th><th scope="col">meaning</th><th scope="col">schema</th></tr></thead><tbody>${params}</tbody></table>` : ''}
  ${request ? `<h3>Request body</h3>${code(request)}` : ''}
  ${responses ? `<h3>Responses</h3><ul>${responses}</ul>` : ''}
</section>`;
    })
    .join('\n');
  const schemes = Object.entries(doc.components?.securitySchemes ?? {})
    .map(([name, scheme]) => `<section id="scheme-${escape(name)}"><h3>${escape(name)}</h3>${code(scheme)}</section>`)
    .join('\n');
  const schemas = Object.entries(doc.components?.schemas ?? {})
    .map(([name, schema]) => `<section id="schema-${escape(name)}"><h3>${escape(name)}</h3>${code(schema)}</section>`)
    .join('\n');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escape(doc.info.title)}</title>
<style>
  body { font: 16px/1.5 system-ui, sans-serif; margin: 0 auto; max-width: 60rem; padding: 1rem; color: #1a1a1a; }
  pre { background: #f4f4f4; padding: .75rem; overflow-x: auto; font-size: 13px; }
  table { border-collapse: collapse; width: 100%; } td, th { border-bottom: 1px solid #ddd; padding: .25rem .5rem; text-align: left; vertical-align: top; }
  .m { display: inline-block; min-width: 4rem; font-weight: 700; color: #004c99; }
  a { color: #004c99; } section { border-top: 1px solid #ccc; padding-top: .5rem; }
</style>
</head>
<body>
<header><h1>${escape(doc.info.title)}</h1><p>Version ${escape(doc.info.version)}. ${escape(doc.info.description ?? '')} The machine-readable document is at <a href="openapi.json">openapi.json</a>.</p></header>
<nav aria-label="Operations"><ul>${nav}</ul></nav>
<main>${body}
${schemes ? `<h2>Authentication</h2>${schemes}` : ''}
<h2>Schemas</h2>${schemas}</main>
</body>
</html>`;
}
