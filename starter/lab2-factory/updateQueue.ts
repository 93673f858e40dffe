// lab2-factory update queue: orders go to the one admin, oldest first. Given code: do not edit; the grader uses its own copy.

/** One order handed to the admin, and how to answer the engineer that waits for it. */
export interface Job<Request, Answer> {
  request: Request;
  answer(value: Answer): void; // the engineer's submit() resolves with `value`
  fail(error: unknown): void; // the engineer's submit() rejects with `error`
}

/**
 * A first-in first-out queue between many producers (engineers) and one consumer (the admin's
 * loop). In Node there are no threads: "waiting" is awaiting a promise, and the queue only has to
 * keep the order and let one job through at a time.
 */
export class UpdateQueue<Request, Answer> {
  private readonly jobs: Job<Request, Answer>[] = []; // handed over, not yet taken, oldest first
  private taker: ((job: Job<Request, Answer>) => void) | undefined; // the consumer waiting in next(), if any

  /** Engineer: hands `request` over and resolves (or rejects) once the admin has answered it. */
  submit(request: Request): Promise<Answer> {
    return new Promise<Answer>((resolve, reject) => {
      const job: Job<Request, Answer> = { request, answer: resolve, fail: reject };
      const taker = this.taker;
      this.taker = undefined;
      if (taker) taker(job);
      else this.jobs.push(job);
    });
  }

  /** Admin: resolves with the oldest job not taken yet, waiting for one if there is none. One caller at a time. */
  next(): Promise<Job<Request, Answer>> {
    if (this.taker) return Promise.reject(new Error('UpdateQueue: next() is already waiting'));
    const job = this.jobs.shift();
    if (job) return Promise.resolve(job);
    return new Promise((resolve) => (this.taker = resolve));
  }

  /** Jobs handed over and not taken yet. */
  get length(): number {
    return this.jobs.length;
  }
}
