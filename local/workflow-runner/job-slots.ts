/**
 * How many jobs run at once: GitHub starts every job whose needs are met, up to the account's
 * concurrency limit; here the limit is the machine's (the runner's `maxParallelJobs`). A matrix's
 * own `max-parallel` is a second, smaller pool inside it.
 */
export class JobSlots {
  private active = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(private readonly limit: number) {
    if (!Number.isInteger(limit) || limit < 1) throw new Error(`the number of jobs run at once must be a whole number of at least 1, got ${limit}`);
  }

  /** Jobs running now. */
  get running(): number {
    return this.active;
  }

  async run<T>(work: () => Promise<T>): Promise<T> {
    if (this.active >= this.limit) await new Promise<void>((resolve) => this.waiting.push(resolve));
    else this.active++;
    try {
      return await work();
    } finally {
      const next = this.waiting.shift();
      // The slot passes straight to the next waiter, so the count never overshoots the limit.
      if (next) next();
      else this.active--;
    }
  }
}
