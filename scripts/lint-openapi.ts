/**
 * Lints every service's OpenAPI document with Redocly's recommended rules:
 * writes each document as the service would serve it to a temporary file and
 * runs `redocly lint --extends recommended` on them. Any error or warning
 * fails, so `npm run lint` (and CI) keeps the documents clean.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { openApiDocument as intakeDocument } from '../services/intake/src/index';
import { openApiDocument as sharingDocument } from '../services/sharing-api/src/index';
import { openApiDocument as statsDocument } from '../services/stats/src/index';

const DOCUMENTS = { intake: intakeDocument, 'sharing-api': sharingDocument, stats: statsDocument };
const REDOCLY = path.resolve(__dirname, '..', 'node_modules', '@redocly', 'cli', 'bin', 'cli.js');

interface LintReport {
  totals: { errors: number; warnings: number };
  problems: Array<{ ruleId: string; severity: string; message: string; location: Array<{ pointer: string }> }>;
}

/** Redocly's findings on one document, printed; the number of errors and warnings. */
function lint(service: string, file: string): number {
  const run = spawnSync(process.execPath, [REDOCLY, 'lint', '--extends', 'recommended', '--format', 'json', file], {
    encoding: 'utf8',
    env: { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true' },
  });
  let report: LintReport;
  try {
    report = JSON.parse(run.stdout) as LintReport;
  } catch {
    console.error(`${service}: redocly lint did not report (exit ${run.status}):\n${run.stdout}${run.stderr}`);
    return 1;
  }
  for (const p of report.problems) {
    console.error(`${service}: ${p.severity} ${p.ruleId}: ${p.message} (${p.location.map((l) => l.pointer).join(', ')})`);
  }
  return report.totals.errors + report.totals.warnings;
}

function main(): number {
  const dir = mkdtempSync(path.join(tmpdir(), 'srs-openapi-'));
  try {
    let problems = 0;
    for (const [service, document] of Object.entries(DOCUMENTS)) {
      const file = path.join(dir, `${service}.openapi.json`);
      writeFileSync(file, JSON.stringify(document(), null, 2));
      problems += lint(service, file);
    }
    console.log(
      problems === 0 ? `OpenAPI documents of ${Object.keys(DOCUMENTS).join(', ')}: clean` : `OpenAPI documents: ${problems} problems`,
    );
    return problems === 0 ? 0 : 1;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

process.exitCode = main();
