import { parentPort, type Transferable, Worker, workerData } from 'node:worker_threads';

// The one protocol of the app's worker threads: the worker says it is ready (or why it is not),
// answers each numbered request with a result or an error, and says when it has closed.
type Reply =
  | { id: number; result: unknown }
  | { id: number; error: Record<string, unknown> & { message: string } }
  | { ready: boolean; error?: { message: string } }
  | { closed: true };

/** A worker thread that answers requests. */
export interface WorkerClient<Request, Result> {
  /** Sends a request; `transfer` lists buffers handed over rather than copied. */
  request(message: Request, transfer?: Transferable[]): Promise<Result>;
  /** Lets the worker close what it opened, then stops it. */
  close(): Promise<void>;
}

/** What a worker thread serves: each request's answer, and what it closes at the end. */
export interface WorkerService<Request, Result> {
  handle(message: Request): Promise<Result>;
  close(): Promise<void>;
}

/**
 * Starts the worker of module `url` with `data` as its `workerData`; resolves once it is ready,
 * rejects with its own message when it could not start.
 */
export async function startWorker<Request, Result>(url: URL, data: unknown): Promise<WorkerClient<Request, Result>> {
  const worker = new Worker(url, { workerData: data });
  const pending = new Map<number, { resolve: (r: Result) => void; reject: (e: Error) => void }>();
  let nextId = 1;
  let onClosed: (() => void) | undefined;
  let stopped: Error | undefined;
  const stop = (error: Error) => {
    stopped ??= error;
    for (const waiter of pending.values()) waiter.reject(error);
    pending.clear();
  };
  // A worker that died answers nothing more: what waits for it fails rather than hangs.
  worker.on('error', stop);
  worker.once('exit', (code) => {
    stop(new Error(`the worker stopped (exit code ${code})`));
    onClosed?.();
  });

  try {
    await new Promise<void>((resolve, reject) => {
      worker.once('error', reject);
      worker.on('message', function onReady(reply: Reply) {
        if (!('ready' in reply)) return;
        worker.off('message', onReady);
        worker.off('error', reject);
        if (reply.ready) resolve();
        else reject(new Error(reply.error?.message ?? 'the worker could not start'));
      });
    });
  } catch (error) {
    // Its message port would keep the thread, and so the process, alive.
    await worker.terminate();
    throw error;
  }

  worker.on('message', (reply: Reply) => {
    if ('closed' in reply) return onClosed?.();
    if (!('id' in reply)) return;
    const waiter = pending.get(reply.id);
    pending.delete(reply.id);
    if (!waiter) return;
    if ('result' in reply) waiter.resolve(reply.result as Result);
    else waiter.reject(Object.assign(new Error(reply.error.message), reply.error));
  });

  return {
    request(message, transfer = []) {
      if (stopped) return Promise.reject(stopped);
      const id = nextId++;
      return new Promise((resolve, reject) => {
        pending.set(id, { resolve, reject });
        worker.postMessage({ id, message }, transfer);
      });
    },
    async close() {
      if (!stopped) {
        await new Promise<void>((resolve) => {
          onClosed = resolve;
          worker.postMessage('close');
        });
      }
      await worker.terminate();
    },
  };
}

/**
 * Serves requests in a worker thread started by `startWorker`: `open` sets up the service
 * from the `workerData`, then each request is answered in turn as it comes.
 */
export function serveRequests<Request, Result>(open: (data: unknown) => Promise<WorkerService<Request, Result>>): void {
  const port = parentPort;
  if (!port) throw new Error('serveRequests must run in a worker thread');
  const opening = open(workerData);
  opening.then(
    () => port.postMessage({ ready: true }),
    (error: Error) => port.postMessage({ ready: false, error: { message: error.message } }),
  );
  port.on('message', async (request: { id: number; message: Request } | 'close') => {
    const service = await opening;
    if (request === 'close') {
      await service.close();
      port.postMessage({ closed: true });
      return;
    }
    try {
      port.postMessage({ id: request.id, result: await service.handle(request.message) });
    } catch (error) {
      const e = error as Error & Record<string, unknown>;
      port.postMessage({
        id: request.id,
        error: { message: e.message, code: e.code, detail: e.detail, constraint: e.constraint, position: e.position },
      });
    }
  });
}
