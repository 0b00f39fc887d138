import {
  createClassifier,
  defaultClassifier,
  validateModel,
  type Classification,
  type ModelData,
  type SpamClassifier,
} from '@srs/classifier';
import type { ActiveModelRow } from '@srs/db';
import type { Logger } from '@srs/logging';
import { PeriodicTask } from '../periodic-task';

/** Where the active version is looked up (ModelRepository). */
export interface ModelVersions {
  active(): Promise<ActiveModelRow | undefined>;
  artifact(version: string): Promise<unknown>;
}

/** The model the threads should use: its JSON, or null for the one shipped with @srs/classifier. */
export type ModelChange = { version: string; model: ModelData | null };

export interface ActiveModelDeps {
  versions: ModelVersions;
  logger: Logger;
  /** how often the active version is looked up (MODEL_REFRESH_MS) */
  intervalMs: number;
  /** told of every swap, e.g. to pass the model on to the analysis threads */
  onChange?: (change: ModelChange) => void;
}

/**
 * The classifier of the active model version (`srs model activate`), looked
 * up every `intervalMs` (one small row) and swapped in when it changed, with
 * no restart: the next text classified uses it, and records its version. No
 * version active, or the active row standing for the shipped model: the
 * shipped model. A version that cannot be loaded is logged and the current
 * model kept, so a bad artifact never stops the analysis.
 */
export class ActiveModel {
  private current: SpamClassifier | undefined;
  /** `shipped:<version>` or `stored:<version>`: what `current` is */
  private currentKey: string | undefined;
  private readonly task: PeriodicTask;

  constructor(private readonly deps: ActiveModelDeps) {
    this.task = new PeriodicTask('model refresh', deps.intervalMs, () => this.refresh(), deps.logger);
  }

  /** The active version's classifier; the shipped one until the first lookup. */
  get classifier(): SpamClassifier {
    return (this.current ??= defaultClassifier());
  }

  get version(): string {
    return this.classifier.version;
  }

  readonly classify = (text: string): Classification => this.classifier.classify(text);

  /** Looks the active version up now; resolves true when the model changed. */
  async refresh(): Promise<boolean> {
    const row = await this.deps.versions.active();
    const shipped = !row || !row.hasArtifact;
    const key = shipped ? `shipped:${defaultClassifier().version}` : `stored:${row.version}`;
    if (key === this.currentKey) return false;
    let next: SpamClassifier;
    let model: ModelData | null = null;
    if (shipped) {
      next = defaultClassifier();
    } else {
      try {
        model = (await this.deps.versions.artifact(row.version)) as ModelData;
        validateModel(model);
        next = createClassifier(model);
      } catch (err) {
        // Kept, and tried again at the next look (an operator may activate another version meanwhile).
        this.deps.logger.error({ err, version: row.version }, 'active model could not be loaded; keeping the current one');
        return false;
      }
    }
    const before = this.current?.version;
    this.current = next;
    this.currentKey = key;
    this.deps.onChange?.({ version: next.version, model });
    // (`from` and `to` are redacted from every log line: they name phone numbers elsewhere.)
    if (before !== undefined || !shipped)
      this.deps.logger.info({ previousModel: before ?? defaultClassifier().version, model: next.version }, 'classifier model swapped');
    return true;
  }

  /** Looks the version up once (a failure leaves the shipped model), then every interval. */
  async start(): Promise<void> {
    await this.refresh().catch((err: unknown) =>
      this.deps.logger.warn({ err }, 'active model lookup failed; the shipped model judges until the next look'),
    );
    this.task.start();
  }

  async stop(): Promise<void> {
    await this.task.stop();
  }
}
