/**
 * Two kinds of failure, told apart everywhere: a UserError is something the person running the
 * workflow can fix (an input, a missing image, a refused login) and is reported as one clear line;
 * anything else is a fault in this suite and is reported with its stack for a bug report.
 */
export class UserError extends Error {
  override name = 'UserError';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

/** An input that is missing or malformed: names the input, what was given and what is expected. */
export class InputError extends UserError {
  override name = 'InputError';
  readonly input: string;
  constructor(input: string, given: string | undefined, expected: string) {
    super(
      given === undefined
        ? `Input '${input}' is required: expected ${expected}.`
        : `Input '${input}' has an invalid value ${JSON.stringify(given)}: expected ${expected}.`,
    );
    this.input = input;
  }
}

export function isUserError(error: unknown): error is UserError {
  return error instanceof UserError;
}

export function errorMessage(error: unknown): string {
  if (error instanceof Error) return error.message;
  return String(error);
}
