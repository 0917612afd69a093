/** What every command of the `essaim` command line shares: the settings, the database, a refusal. */
import { openAppDatabase } from '../bootstrap.js';
import { loadConfig } from '../config.js';
import { AppError } from '../core/errors.js';

/** A command refused with a French message; the CLI exits with 1, without a stack. */
export function refused(message: string): AppError {
  return new AppError('invalid_command', message);
}

let loadedConfig: ReturnType<typeof loadConfig> | undefined;
/** The settings, read once when a command first needs them. */
export function config() {
  loadedConfig ??= loadConfig();
  return loadedConfig;
}

/** Runs a command on the opened database, and closes it whatever happens. */
export async function withDatabase<T>(
  run: (handle: Awaited<ReturnType<typeof openAppDatabase>>) => Promise<T>,
): Promise<T> {
  const handle = await openAppDatabase(config());
  try {
    return await run(handle);
  } finally {
    await handle.close();
  }
}
