import { loadConfig } from './config.ts';
import { failureLine, isExpectedFailure } from './failure-line.ts';
import { createLogger } from './log.ts';
import { startHitch, type RunningHitch } from './server.ts';

/** A stop that takes longer than this (a request that never ends) is cut short. */
const SHUTDOWN_DEADLINE_MS = 30_000;

function fail(error: unknown): never {
  process.stderr.write(`${failureLine(error)}\n`);
  // Only surprises get a full record (with stack) in the JSON log; configuration mistakes need the one line.
  if (!isExpectedFailure(error)) createLogger('error').fatal({ err: error }, 'Hitch could not start');
  process.exit(1);
}

/**
 * Signal handlers go in before anything starts: a SIGTERM that arrives while
 * Hitch is still starting (a supervisor's quick restart) must stop it cleanly
 * once it is up, not kill it half-way through with the default action.
 */
function stopOnSignals(): (hitch: RunningHitch) => void {
  let running: RunningHitch | null = null;
  let requested: NodeJS.Signals | null = null;
  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (!running) {
      requested = signal;
      return;
    }
    if (stopping) process.exit(1); // a second Ctrl-C: stop now
    stopping = true;
    const hitch = running;
    hitch.services.log.info({ signal }, 'stopping');
    setTimeout(() => process.exit(1), SHUTDOWN_DEADLINE_MS).unref();
    hitch.close().then(
      () => {
        hitch.services.log.info('Hitch stopped');
        process.exit(0);
      },
      (error: unknown) => {
        hitch.services.log.error({ err: error }, 'stopping failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
  return (hitch) => {
    running = hitch;
    if (requested) stop(requested);
  };
}

const started = stopOnSignals();
try {
  started(await startHitch(loadConfig()));
} catch (error) {
  fail(error);
}
