// What the core needs from the person at the keyboard, without knowing how it is drawn (src/ui implements it).

export interface Prompter {
  readonly interactive: boolean;
  /** asks yes/no; when not interactive throws InputRequiredError naming `flag` */
  confirm(options: { message: string; default?: boolean; flag: string }): Promise<boolean>;
  /** asks for text; when not interactive throws InputRequiredError naming `flag` */
  input(options: { message: string; default?: string; flag: string; validate?: (value: string) => string | true }): Promise<string>;
}

/** The wizard's narrative (stderr): headings, lines, and one live wait at a time. */
export interface Reporter {
  heading(step: number, title: string): void;
  info(text: string): void;
  success(text: string): void;
  warn(text: string): void;
  /** a block of plain lines (clicks, steps), indented */
  block(lines: string[]): void;
  /** an email for the person to copy: To, Subject and body, printed so that it copies clean */
  email(draft: { to: string | null; subject: string; body: string }): void;
  /**
   * starts or relabels the live wait: a spinner on a terminal showing `label` and `detail`; otherwise one line
   * per change of `label` (the detail, such as the next look's time, changes too often for a log)
   */
  waiting(label: string, detail?: string): void;
  /** ends the live wait, optionally leaving a final line */
  stopWaiting(final?: { ok: boolean; text: string }): void;
}
