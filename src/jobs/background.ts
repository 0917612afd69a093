/** Work done after the answer is sent, one job after the other, in this process. */
export interface Background {
  /** Queues `work`; a failure is logged, never thrown at the request that queued it. */
  run(label: string, work: () => Promise<void>): void;
  /** Resolves once every job queued so far has ended (at shutdown, and in tests). */
  idle(): Promise<void>;
}

/**
 * The process's queue of background jobs. A job lost to a crash is lost: only work whose loss
 * the user can make good by asking again belongs here (a reset link, not a publication).
 */
export function createBackground(log: { error(object: object, message: string): void }): Background {
  let tail: Promise<void> = Promise.resolve();
  return {
    run(label, work) {
      tail = tail.then(() =>
        // After the current turn of the event loop: the answer leaves before the work starts.
        new Promise<void>((resolve) => setImmediate(resolve))
          .then(work)
          .catch((error: unknown) => log.error({ err: error, job: label }, 'background job failed')),
      );
    },
    idle: () => tail,
  };
}
