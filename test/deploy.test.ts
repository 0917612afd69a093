import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFile } from 'node:fs/promises';
import path from 'node:path';
import { test } from 'node:test';
import { tempDir } from './helpers/processes.js';
import { missing, TOOLS } from './helpers/tools.js';

const ROOT = path.resolve(import.meta.dirname, '..');

test('systemd reads the unit of docs/DEPLOY.md without a warning', { skip: missing('systemdAnalyze') }, async () => {
  const work = await tempDir('unit');
  try {
    // A template unit is checked as one of its instances, as systemctl would start it.
    const unit = path.join(work.dir, 'essaim@3001.service');
    await copyFile(path.join(ROOT, 'deploy', 'essaim.service'), unit);
    const checked = spawnSync(TOOLS.systemdAnalyze.path, ['verify', unit], { encoding: 'utf8' });
    assert.equal(checked.status, 0, checked.stderr);
    assert.equal(`${checked.stdout}${checked.stderr}`.trim(), '');
  } finally {
    await work.remove();
  }
});
