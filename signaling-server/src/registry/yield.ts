/**
 * Lets timers and sockets run before long synchronous registry work goes on (applying a log batch, encoding a
 * snapshot, releasing a leaving peer's holdings): a search or a signal waits one slice, not the whole job.
 */
export const yieldToEventLoop = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));
