// What every core service returns to its command: the result (rendered or printed as JSON) and the exit code.
export interface CommandOutcome<T> {
  result: T;
  exitCode: number;
}
