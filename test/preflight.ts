// Run before the suite: one line for each program the suite would use and this machine lacks.
import { missing, TOOLS, type Tool } from './helpers/tools.js';

const absent = (Object.keys(TOOLS) as Tool[]).map(missing).filter((reason) => reason !== false);
for (const reason of absent) console.warn(`[essaim test] ${reason}`);
if (absent.length > 0 && process.env.CI === 'true') {
  console.error('[essaim test] CI must run every test: .ci/run installs these packages.');
  process.exit(1);
}
