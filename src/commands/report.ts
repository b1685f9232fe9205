// `onboard report [ORDER] [--format markdown|json|html] [--output FILE] [--force] [--open] [--email]`
import { runReport, type ReportResult } from '../core/services/report.js';
import type { Style } from '../ui/style.js';
import type { CommandModule } from './types.js';

const text = (value: unknown): string | null => (typeof value === 'string' ? value : null);

/** What --json prints: the report document itself, or where the file went, or the email. */
function jsonOf(result: ReportResult): unknown {
  if (result.kind === 'email') return result.email;
  if (result.kind === 'file') {
    const { document, ...file } = result;
    return { ...file, order: document.order, stage: document.stage };
  }
  return result.format === 'html' ? { ...result.document, html: result.text } : result.document;
}

function human(result: ReportResult, s: Style, addEmail: string | null): string {
  if (result.kind === 'document') return result.text;
  if (result.kind === 'email') {
    const e = result.email;
    return [`To: ${e.to ?? (addEmail ? `(the supplier: add their address with ${addEmail})` : '(the supplier)')}`, `Subject: ${e.subject}`, '', e.body].join(
      '\n',
    );
  }
  const what =
    result.format === 'email'
      ? 'the supplier email'
      : `the ${result.format === 'html' ? 'HTML page' : result.format === 'json' ? 'JSON report' : 'Markdown report'}`;
  const lines = [`Wrote ${what} to ${result.path}`];
  if (result.opened === true) lines.push(s.dim(`Opened it in your browser (${result.openedWith}).`));
  if (result.opened === false) lines.push(`No browser can be opened from here; open the file yourself: ${result.path}`);
  return lines.join('\n');
}

const report: CommandModule = async (ctx, positional, options) => {
  const outcome = await runReport(ctx, {
    order: positional[0] ?? null,
    format: text(options.format),
    output: text(options.output),
    force: options.force === true,
    open: options.open === true,
    email: options.email === true,
  });
  return {
    result: jsonOf(outcome.result),
    exitCode: outcome.exitCode,
    // the sandbox has no supplier address to add (its portal is simulated)
    render: (style) => human(outcome.result, style, ctx.sandbox ? null : ctx.commandLine('connect', 'flxpoint', '--supplier-email', 'ADDRESS')),
  };
};
export default report;
