// `onboard sandbox serve`: the profile's world as a standalone server. Prints one JSON line with its address
// and the sandbox credentials (not secrets: the only credentials onboard ever prints), records itself so
// `--sandbox` commands use it, and stops on Ctrl-C or SIGTERM with exit 0.
import { BadInputError } from '../core/errors.js';
import { serverRecordSchema } from '../sandbox/connect.js';
import { startSandboxServer } from '../sandbox/server.js';
import type { CommandModule } from './types.js';

function parsePort(value: unknown): number {
  if (value === undefined) return 0;
  const text = String(value).trim();
  const port = Number(text);
  if (!/^\d+$/.test(text) || port < 1 || port > 65_535) throw new BadInputError(`--port: "${text}" is not a port number (1-65535)`);
  return port;
}

const serve: CommandModule = async (ctx, _positional, options) => {
  const port = parsePort(options.port);
  const scenario = ctx.scenario ?? 'happy';
  const server = await startSandboxServer({ store: ctx.store, port, defaultScenario: scenario });
  const announcement = { url: server.url, shopify: server.shopify, flxpoint: server.flxpoint, scenario };
  await ctx.store.update('sandbox', 'server', serverRecordSchema, (record) => {
    Object.assign(record, { ...announcement, pid: process.pid });
  });
  ctx.io.stdout.write(`${JSON.stringify(announcement)}\n`);
  ctx.reporter.info(`Sandbox running at ${server.url} (profile ${ctx.profile}, scenario ${scenario}).`);
  ctx.reporter.info('Commands with --sandbox in another terminal use it. Ctrl-C stops it.');
  await new Promise<void>((resolve) => {
    if (ctx.signal.aborted) resolve();
    ctx.signal.addEventListener('abort', () => resolve(), { once: true });
  });
  await server.close();
  await ctx.store.update('sandbox', 'server', serverRecordSchema, (record) => {
    if (record.pid === process.pid) for (const key of Object.keys(record)) delete (record as Record<string, unknown>)[key];
  });
  ctx.reporter.info('Sandbox stopped.');
  return { result: announcement, exitCode: 0, printed: true, render: () => '' };
};
export default serve;
