/**
 * Two kinds of failure, told apart everywhere: a UserError is something the person running the
 * workflow can fix (an input, a missing image, a refused login) and is reported as one clear line;
 * anything else is a fault in this suite and is reported with its stack for a bug report.
 */
export interface UserErrorOptions {
  cause?: unknown;
  /** What to do about it, printed after the message; data, so no caller parses text for it. */
  hint?: string;
}

export class UserError extends Error {
  override name = 'UserError';
  readonly hint: string | undefined;
  constructor(message: string, options: UserErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.hint = options.hint;
  }
}

/** An input that is missing or malformed: names the input, what was given and what is expected. */
export class InputError extends UserError {
  override name = 'InputError';
  readonly input: string;
  constructor(input: string, given: string | undefined, expected: string, options: UserErrorOptions = {}) {
    super(
      given === undefined
        ? `Input '${input}' is required: expected ${expected}.`
        : `Input '${input}' has an invalid value ${JSON.stringify(given)}: expected ${expected}.`,
      options,
    );
    this.input = input;
  }
}

export function isUserError(error: unknown): error is UserError {
  return error instanceof UserError;
}

/** A user error as a person reads it: the message, then its hint when it has one. */
export function userErrorText(error: UserError): string {
  return error.hint ? `${error.message} ${error.hint}` : error.message;
}

export function errorMessage(error: unknown): string {
  if (error instanceof Error) return error.message;
  return String(error);
}
