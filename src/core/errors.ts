// Typed errors: each carries the public error code (spec §6), a hint and next steps.
// One place (exitCodeFor) maps them to exit codes; commands never call process.exit.

export type ErrorCode =
  | 'usage'
  | 'bad_input'
  | 'input_required'
  | 'not_connected'
  | 'auth_rejected'
  | 'not_found'
  | 'upstream_error'
  | 'unexpected_response'
  | 'rate_limited'
  | 'timeout'
  | 'config_error'
  | 'cancelled';

export interface ErrorOptions {
  hint?: string;
  next?: string[];
  cause?: unknown;
}

export class OnboardError extends Error {
  readonly code: ErrorCode;
  readonly hint: string | undefined;
  readonly next: string[];

  constructor(code: ErrorCode, message: string, options: ErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'OnboardError';
    this.code = code;
    this.hint = options.hint;
    this.next = options.next ?? [];
  }
}

export class UsageError extends OnboardError {
  constructor(message: string, options?: ErrorOptions) {
    super('usage', message, options);
  }
}

export class BadInputError extends OnboardError {
  constructor(message: string, options?: ErrorOptions) {
    super('bad_input', message, options);
  }
}

/** A command needs an answer it cannot ask for: names the flag that gives it. */
export class InputRequiredError extends OnboardError {
  readonly flags: string[];
  /** `all`: every flag is needed (missing details); otherwise any one of them answers */
  constructor(question: string, flags: string[], options?: ErrorOptions & { all?: boolean }) {
    const named = flags.join(options?.all ? ', ' : ' or ');
    // onboard asks only on a terminal, and never under --json or --no-input (a script's run must not wait)
    super('input_required', `${question}: not asked (onboard asks only on a terminal, without --json or --no-input); pass ${named}`, {
      hint: options?.hint ?? `Run it in a terminal without --json or --no-input to be asked, or pass ${named}.`,
      ...options,
    });
    this.flags = flags;
  }
}

export class NotConnectedError extends OnboardError {
  constructor(message: string, options?: ErrorOptions) {
    super('not_connected', message, options);
  }
}

export class AuthRejectedError extends OnboardError {
  readonly system: string;
  constructor(system: string, message: string, options?: ErrorOptions) {
    super('auth_rejected', message, options);
    this.system = system;
  }
}

export class NotFoundError extends OnboardError {
  constructor(message: string, options?: ErrorOptions) {
    super('not_found', message, options);
  }
}

export class UpstreamError extends OnboardError {
  readonly status: number | undefined;
  constructor(code: 'upstream_error' | 'unexpected_response' | 'rate_limited' | 'timeout', message: string, options: ErrorOptions & { status?: number } = {}) {
    super(code, message, options);
    this.status = options.status;
  }
}

/**
 * A file or folder under the configuration directory that cannot be read, written or parsed: a local fault,
 * never a vendor's. The message names the path; the hint says what to do.
 */
export class ConfigError extends OnboardError {
  readonly path: string;
  /** `damaged`: the file is there but not what onboard wrote; `denied`: the system refused access */
  readonly kind: 'damaged' | 'denied';
  constructor(kind: 'damaged' | 'denied', path: string, message: string, options?: ErrorOptions) {
    super('config_error', message, options);
    this.kind = kind;
    this.path = path;
  }
}

export class CancelledError extends OnboardError {
  readonly signal: 'SIGINT' | 'SIGTERM';
  constructor(signal: 'SIGINT' | 'SIGTERM', message = 'Cancelled.', options?: ErrorOptions) {
    super('cancelled', message, options);
    this.signal = signal;
  }
}

/** Throws the cancellation (SIGINT unless the signal says otherwise) once the command's signal is aborted. */
export function throwIfCancelled(signal: AbortSignal): void {
  if (signal.aborted) throw signal.reason instanceof CancelledError ? signal.reason : new CancelledError('SIGINT');
}

export const EXIT = {
  ok: 0,
  failed: 1,
  usage: 2,
  attention: 3,
  auth: 4,
  pending: 8,
  sigint: 130,
  sigterm: 143,
} as const;

export function exitCodeFor(error: unknown): number {
  if (!(error instanceof OnboardError)) return EXIT.failed;
  switch (error.code) {
    case 'usage':
    case 'bad_input':
    case 'input_required':
    case 'not_connected':
      return EXIT.usage;
    case 'auth_rejected':
      return EXIT.auth;
    case 'cancelled':
      return error instanceof CancelledError && error.signal === 'SIGTERM' ? EXIT.sigterm : EXIT.sigint;
    default:
      return EXIT.failed;
  }
}
