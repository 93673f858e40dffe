/**
 * At most `jobs` tasks at a time, taken in order; once `stopped()` turns true no new task starts.
 * `work` also gets its worker's slot (0 .. jobs-1): no two tasks running at once share a slot.
 */

export async function runPool<T>(items: readonly T[], jobs: number, work: (item: T, slot: number) => Promise<void>, stopped: () => boolean = () => false): Promise<void> {
  let next = 0;
  const worker = async (slot: number): Promise<void> => {
    while (!stopped() && next < items.length) {
      const item = items[next++] as T;
      await work(item, slot);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(jobs, items.length)) }, (_, slot) => worker(slot)));
}
