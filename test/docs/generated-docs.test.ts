import { readFileSync } from 'node:fs';
import { CONFIGURATION_FILE, renderConfigurationDoc } from '../../scripts/docs/configuration-doc';
import { PERFORMANCE_FILE, readRecord, renderPerformance } from '../../scripts/bench/performance-doc';

/** The generated pages say what their sources say: regenerate them, never edit them by hand. */
describe('generated documents', () => {
  it('docs/CONFIGURATION.md lists every variable of the configuration schema as it is (npm run -s config:table)', () => {
    expect(readFileSync(CONFIGURATION_FILE, 'utf8')).toBe(renderConfigurationDoc());
  });

  it('docs/PERFORMANCE.md shows the figures recorded in docs/bench-results.json (npm run bench -- --doc)', () => {
    const page = readFileSync(PERFORMANCE_FILE, 'utf8');
    expect(Object.keys(readRecord()).length).toBeGreaterThan(0);
    expect(page).toBe(renderPerformance(readRecord(), page));
  });
});
