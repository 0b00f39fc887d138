/** `npm run -s config:table`: writes docs/CONFIGURATION.md from the configuration schema. */
import { writeFileSync } from 'node:fs';
import { CONFIGURATION_FILE, renderConfigurationDoc } from './docs/configuration-doc';

writeFileSync(CONFIGURATION_FILE, renderConfigurationDoc());
process.stdout.write(`written ${CONFIGURATION_FILE}\n`);
