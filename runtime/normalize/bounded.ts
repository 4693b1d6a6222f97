/**
 * A gate that runs the tasks given to it at most `n` at once, each started in the order it was
 * given. Unlike eachBounded (stacks/provisioning/run.ts), which works through a list it holds,
 * tasks come one by one and each caller awaits its own: a file's check is asked for as the file
 * is planned and awaited when it is staged.
 */
export function bounded(n: number): <T>(task: () => Promise<T>) => Promise<T> {
  let running = 0;
  const waiting: (() => void)[] = [];
  const done = () => {
    running--;
    waiting.shift()?.();
  };
  return <T>(task: () => Promise<T>) =>
    new Promise<T>((resolve, reject) => {
      const start = () => {
        running++;
        // A task that throws before its first await rejects its own promise, and frees its place.
        (async () => task())().then(resolve, reject).finally(done);
      };
      if (running < n) start();
      else waiting.push(start);
    });
}
