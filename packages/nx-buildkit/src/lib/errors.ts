/**
 * An error whose message is complete for the person who reads it: what went wrong, which thing, and the fix.
 * Executors print its message alone, without a stack trace.
 */
export class UserFacingError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UserFacingError';
  }
}

/** The message of anything thrown, never "[object Object]". */
export function describeError(error: unknown): string {
  if (error instanceof Error) return error.message;
  if (typeof error === 'string') return error;
  try {
    return JSON.stringify(error);
  } catch {
    return String(error);
  }
}
