/** At most `jobs` tasks at a time, taken in order; once `stopped()` turns true no new task starts. */

export async function runPool<T>(items: readonly T[], jobs: number, work: (item: T) => Promise<void>, stopped: () => boolean = () => false): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (!stopped() && next < items.length) {
      const item = items[next++] as T;
      await work(item);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(jobs, items.length)) }, worker));
}
