import { readKannelMoToken } from '@srs/devstack';
import { Command, InvalidArgumentError } from 'commander';
import type { CliContext } from '../context';
import { days, positiveInteger } from '../options';
import { loadDemoCorpus } from '../demo/corpus';
import { planDemo } from '../demo/generate';
import { DEMO_OPERATORS } from '../demo/operators';
import { checkIntake, sendReports, type SendSummary } from '../demo/send';
import { prepareOperators } from '../demo/setup';
import { describePlan, describeSummary } from '../demo/summary';

interface DemoOptions {
  intake: string;
  reports: number;
  days: number;
  seed: string;
  concurrency: number;
  kannelShare: number;
}

function share(value: string): number {
  const n = Number(value);
  if (!(n >= 0 && n <= 1)) throw new InvalidArgumentError('a share between 0 and 1');
  return n;
}

function url(value: string): string {
  try {
    return new URL(value).toString();
  } catch {
    throw new InvalidArgumentError('a URL, e.g. http://127.0.0.1:3000');
  }
}

/**
 * `srs demo`: realistic reports, sent through the running intake, so that
 * campaigns, shared indicators and the regulator's statistics have data.
 */
export function registerDemoCommand(program: Command, context: CliContext): void {
  program
    .command('demo')
    .description('send realistic spam reports from the demo consortium through the running intake, spread over the last days')
    .option('--intake <url>', 'the intake', url, `http://127.0.0.1:${context.config.intake.port}`)
    .option('--reports <n>', 'how many reports', positiveInteger, 1500)
    .option('--days <n>', 'spread them over this many days up to now', days, 28)
    .option('--seed <seed>', 'the same seed sends the same reports (sending them again files nothing twice)', '7726')
    .option('--concurrency <n>', 'requests in flight', positiveInteger, 16)
    .option(
      '--kannel-share <share>',
      `share of ${context.config.operator.id}'s campaign reports sent as SMS through the Kannel endpoint (0 for none)`,
      share,
      0.1,
    )
    .action(async (options: DemoOptions) => {
      const started = Date.now();
      await checkIntake(options.intake);
      const reports = planDemo({
        seed: options.seed,
        reports: options.reports,
        days: options.days,
        now: new Date(),
        corpus: loadDemoCorpus(),
        kannel: { operatorId: context.config.operator.id, share: options.kannelShare },
      });
      context.print(`demo: ${reports.length} reports over ${options.days} days (seed ${options.seed}) to ${options.intake}`);
      for (const line of describePlan(reports)) context.print(`  ${line}`);

      const setup = await prepareOperators(context.pool(), DEMO_OPERATORS);
      let summary: SendSummary;
      try {
        let shown = 0;
        summary = await sendReports(reports, {
          intakeUrl: options.intake,
          keys: setup.keys,
          shortCode: context.config.operator.shortCode,
          kannelToken: context.config.routing.kannel[0]?.moToken ?? readKannelMoToken(context.config.devstack.dataDir),
          concurrency: options.concurrency,
          onProgress: (done, total) => {
            if (done === total || done - shown >= Math.max(1, Math.ceil(total / 10))) {
              shown = done;
              context.print(`  … ${done}/${total}`);
            }
          },
        });
      } finally {
        await setup.revoke();
      }
      for (const line of describeSummary(summary, (Date.now() - started) / 1000)) context.print(line);
      if (summary.outcomes.failed > 0 || summary.outcomes.accepted + summary.outcomes.duplicate === 0) {
        throw new Error(`${summary.outcomes.failed} reports failed and ${summary.outcomes.refused} were refused (see above)`);
      }
      if (summary.outcomes.accepted > 0)
        context.print('the worker analyses them now: campaigns, shared indicators and statistics follow within seconds');
    });
}
