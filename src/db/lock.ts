import { open, readFile, rm } from 'node:fs/promises';
import { AppError } from '../core/errors.js';

/** The embedded database is open in another process; the message says which and what to do. */
function databaseLocked(message: string): AppError {
  return new AppError('database_locked', message);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Takes an exclusive lock file beside the PGlite data folder: PGlite corrupts a folder that
 * two processes open at once. A lock left by a process that died is taken over.
 */
export async function lockDataDir(dir: string): Promise<() => Promise<void>> {
  const lockFile = `${dir}.lock`;
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const handle = await open(lockFile, 'wx');
      await handle.writeFile(String(process.pid));
      await handle.close();
      return () => rm(lockFile, { force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const pid = Number((await readFile(lockFile, 'utf8').catch(() => '')).trim());
      if (pid && pid !== process.pid && isAlive(pid)) {
        throw databaseLocked(
          `La base embarquée ${dir} est déjà ouverte par un autre processus (PID ${pid}) : arrêtez-le d’abord (une base embarquée ne s’ouvre que dans un processus à la fois), ou utilisez PostgreSQL avec DATABASE_URL.`,
        );
      }
      await rm(lockFile, { force: true });
    }
  }
  throw databaseLocked(`Impossible de verrouiller la base embarquée ${dir}.`);
}
