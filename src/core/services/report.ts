// `onboard report [ORDER]`: a run's report from what is recorded (no vendor is called), in the terminal or as a
// file (0600; an existing one only with --force); --open shows the HTML page in a browser where one can be
// opened; --email prints the supplier email. Works for an unfinished run: what is known so far.
import { spawn } from 'node:child_process';
import { accessSync, chmodSync, constants, existsSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import { delimiter, dirname, join, resolve } from 'node:path';
import { stateSchema, type Run } from '../lifecycle/record.js';
import type { Context } from '../context.js';
import { EXIT, NotFoundError, UsageError } from '../errors.js';
import { parseOrderRef } from '../identity.js';
import { buildReport, renderMarkdown, type ReportDocument, type ReportEmail } from '../report.js';
import { renderHtml } from '../report-html.js';
import { findTrackedRun, followAgainCommand } from '../runs.js';
import { readState, sandboxWorldNow } from '../state.js';
import type { CommandOutcome } from './outcome.js';

export const REPORT_FORMATS = ['markdown', 'json', 'html'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

export interface ReportOptions {
  order: string | null;
  format: string | null;
  output: string | null;
  force: boolean;
  open: boolean;
  email: boolean;
}

export type ReportResult =
  | { kind: 'document'; format: ReportFormat; document: ReportDocument; text: string }
  | { kind: 'file'; format: ReportFormat | 'email'; path: string; bytes: number; opened: boolean | null; openedWith: string | null; document: ReportDocument }
  | { kind: 'email'; email: ReportEmail; document: ReportDocument };

interface Checked {
  ref: ReturnType<typeof parseOrderRef> | null;
  format: ReportFormat;
  output: string | null;
}

/** Every flag is checked before anything is read or written (exit 2, the accepted forms). */
export function checkReportOptions(options: ReportOptions): Checked {
  const ref = options.order === null ? null : parseOrderRef(options.order);
  if (options.format !== null && !(REPORT_FORMATS as readonly string[]).includes(options.format)) {
    throw new UsageError(`--format: "${options.format.slice(0, 40)}" is not a report format`, {
      hint: 'Use --format markdown, --format json or --format html.',
    });
  }
  if (options.email && options.format !== null) {
    throw new UsageError('--email prints the supplier email as plain text; it takes no --format', {
      hint: 'Leave out --format, or leave out --email for the report.',
    });
  }
  if (options.email && options.open) throw new UsageError('--open shows the HTML page; it cannot open the email', { hint: 'Use --email or --open, not both.' });
  if (options.open && options.format !== null && options.format !== 'html') {
    throw new UsageError(`--open shows the HTML page, not ${options.format}`, { hint: 'Use --open alone (or with --format html).' });
  }
  const format: ReportFormat = options.open ? 'html' : ((options.format as ReportFormat | null) ?? 'markdown');
  let output: string | null = null;
  if (options.output !== null) {
    if (options.output.trim() === '') throw new UsageError('--output needs a file name', { hint: 'For example --output report.html' });
    output = resolve(options.output);
    const parent = dirname(output);
    if (!existsSync(parent) || !statSync(parent).isDirectory()) {
      throw new UsageError(`--output: the folder ${parent} does not exist`, { hint: 'Create it first, or choose a file in an existing folder.' });
    }
    if (existsSync(output)) {
      if (statSync(output).isDirectory()) throw new UsageError(`--output: ${output} is a folder`, { hint: 'Give a file name, for example report.html.' });
      if (!options.force) throw new UsageError(`--output: ${output} already exists`, { hint: 'Choose another file name, or pass --force to overwrite it.' });
    }
    try {
      accessSync(parent, constants.W_OK);
    } catch {
      throw new UsageError(`--output: the folder ${parent} is not writable`, { hint: 'Choose a folder you can write to.' });
    }
  }
  return { ref, format, output };
}

/** The newest run with an order (else the newest at all), or the run of ORDER. */
function chooseRun(ctx: Context, ref: Checked['ref'], order: string | null): Run {
  const state = readState(ctx);
  const run = ref ? findTrackedRun(state, ref) : ([...state.runs].reverse().find((r) => r.order) ?? state.runs.at(-1));
  if (run) return run;
  const world = ctx.sandbox ? ' on the sandbox' : '';
  const otherRuns = otherNamespaceRuns(ctx);
  const next = otherRuns > 0 && !ctx.sandbox ? [ctx.commandLine('report', ...(order ? [order] : []), '--sandbox')] : [ctx.commandLine('test-order')];
  if (ref) {
    const known = state.runs.filter((r) => r.order).map((r) => r.order?.name);
    throw new NotFoundError(`Order ${order?.slice(0, 40)} is not tracked in profile "${ctx.profile}"${world}`, {
      hint: known.length ? `Tracked orders: ${known.join(', ')}.` : `No test order has been run in profile "${ctx.profile}"${world} yet.`,
      next,
    });
  }
  throw new NotFoundError(`No test order has been run in profile "${ctx.profile}"${world} yet`, {
    hint: otherRuns > 0 && !ctx.sandbox ? 'The sandbox has runs of its own:' : 'Start one:',
    next,
  });
}

function otherNamespaceRuns(ctx: Context): number {
  try {
    return ctx.store.read(ctx.sandbox ? 'real' : 'sandbox', 'state', stateSchema).runs.length;
  } catch {
    return 0;
  }
}

function writePrivate(path: string, text: string, force: boolean): number {
  try {
    writeFileSync(path, text, { mode: 0o600, flag: force ? 'w' : 'wx' });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') {
      throw new UsageError(`--output: ${path} already exists`, { hint: 'Choose another file name, or pass --force to overwrite it.' });
    }
    throw error;
  }
  // a file overwritten with --force keeps its old mode: set it
  chmodSync(path, 0o600);
  return Buffer.byteLength(text);
}

function onPath(command: string, env: NodeJS.ProcessEnv): string | null {
  for (const dir of (env.PATH ?? '').split(delimiter).filter(Boolean)) {
    const candidate = join(dir, command);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  return null;
}

/** How this machine opens a page in the person's browser: $BROWSER, macOS `open`, Windows `start`, or xdg-open on a desktop. */
export function browserCommand(env: NodeJS.ProcessEnv, platform: NodeJS.Platform = process.platform): { command: string; args: string[] } | null {
  const browser = env.BROWSER?.split(':')[0]?.trim();
  if (browser) return { command: browser, args: [] };
  if (platform === 'darwin') return { command: 'open', args: [] };
  if (platform === 'win32') return { command: 'explorer.exe', args: [] };
  if (!env.DISPLAY && !env.WAYLAND_DISPLAY) return null; // no desktop: an SSH session, a container, CI
  const xdg = onPath('xdg-open', env);
  return xdg ? { command: xdg, args: [] } : null;
}

async function openInBrowser(path: string, env: NodeJS.ProcessEnv): Promise<string | null> {
  const how = browserCommand(env);
  if (!how) return null;
  return new Promise((resolvePromise) => {
    const child = spawn(how.command, [...how.args, path], { detached: true, stdio: 'ignore', env });
    // An opener hands the page to the browser and exits 0 at once; one that exits with an error did not open it. A
    // browser itself keeps running: after a moment it counts as opened, and onboard does not wait for it.
    const timer = setTimeout(() => {
      child.unref();
      resolvePromise(how.command);
    }, 1_500);
    child.once('error', () => {
      clearTimeout(timer);
      resolvePromise(null);
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolvePromise(code === 0 ? how.command : null);
    });
  });
}

function render(format: ReportFormat, document: ReportDocument): string {
  if (format === 'html') return renderHtml(document);
  if (format === 'json') return `${JSON.stringify(document, null, 2)}\n`;
  return renderMarkdown(document);
}

/**
 * The time on the clock of the run's systems: under --sandbox the world's virtual clock as its record holds it
 * (the run's times are on it; nothing is started to read it), else the wall clock. The report holds the time at
 * its last reading as the least.
 */
function systemsNow(ctx: Context): number {
  return (ctx.sandbox ? sandboxWorldNow(ctx.store) : null) ?? Date.now();
}

export async function runReport(ctx: Context, options: ReportOptions): Promise<CommandOutcome<ReportResult>> {
  const checked = checkReportOptions(options);
  const run = chooseRun(ctx, checked.ref, options.order);
  const document = buildReport(ctx, run, undefined, systemsNow(ctx));

  if (options.email) {
    if (!document.email) {
      throw new NotFoundError(`${run.order?.name ?? 'This run'} has no supplier email yet: it is drafted once the payment is authorized`, {
        // an abandoned run is followed again only by making it the test order again
        next: [
          run.abandoned && run.order
            ? followAgainCommand(ctx, run)
            : run.order
              ? ctx.commandLine('track', run.order.number, '--watch')
              : ctx.commandLine('test-order'),
        ],
      });
    }
    if (checked.output) {
      const e = document.email;
      const text = [`To: ${e.to ?? ''}`, `Subject: ${e.subject}`, '', e.body, ''].join('\n');
      const bytes = writePrivate(checked.output, text, options.force);
      return { result: { kind: 'file', format: 'email', path: checked.output, bytes, opened: null, openedWith: null, document }, exitCode: EXIT.ok };
    }
    return { result: { kind: 'email', email: document.email, document }, exitCode: EXIT.ok };
  }

  const text = render(checked.format, document);
  let path = checked.output;
  if (!path && options.open) {
    const dir = join(ctx.store.namespaceDir(ctx.namespace), 'reports');
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    path = join(dir, `test-order-${run.order?.number ?? 'unknown'}-${run.id.slice(0, 8)}.html`);
  }
  if (!path) return { result: { kind: 'document', format: checked.format, document, text }, exitCode: EXIT.ok };
  const bytes = writePrivate(path, text, options.force || !checked.output);
  const openedWith = options.open ? await openInBrowser(path, ctx.env) : null;
  return {
    result: { kind: 'file', format: checked.format, path, bytes, opened: options.open ? openedWith !== null : null, openedWith, document },
    exitCode: EXIT.ok,
  };
}
