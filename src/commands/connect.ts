// `onboard connect <system>`: flags → a validated plan (every flag checked before anything happens) → the
// secrets still due from stdin → the credential check and storage in the core.
import { UsageError } from '../core/errors.js';
import { parseSystem, planConnect, runConnect, STDIN_TIMEOUT_MS, withStdinSecrets } from '../core/services/connect.js';
import { renderConnect } from '../ui/render.js';
import type { InStream } from '../ui/io.js';
import type { CommandModule } from './types.js';

const STDIN_MAX_BYTES = 64 * 1024;

/** stdin read to its end, within a deadline; never from a terminal (onboard never prompts for a secret). */
export function readStdinToEnd(stream: InStream, timeoutMs: number, signal?: AbortSignal, example = 'onboard connect …'): Promise<string> {
  if (stream.isTTY) {
    return Promise.reject(
      new UsageError('--token-stdin reads the secrets from a pipe, but stdin is a terminal', {
        hint: `Pipe them in, one line each, for example: printenv MY_TOKEN | ${example}`,
      }),
    );
  }
  if (stream.readableEnded) return Promise.resolve('');
  return new Promise<string>((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const cleanup = () => {
      clearTimeout(timer);
      stream.off('data', onData);
      stream.off('end', onEnd);
      stream.off('close', onEnd);
      stream.off('error', onError);
      signal?.removeEventListener('abort', onAbort);
      stream.pause();
    };
    const fail = (error: unknown) => {
      cleanup();
      reject(error);
    };
    const onData = (chunk: Buffer | string) => {
      const buffer = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
      size += buffer.length;
      if (size > STDIN_MAX_BYTES) fail(new UsageError('--token-stdin: stdin is too long for secrets (over 64 KiB)'));
      else chunks.push(buffer);
    };
    const onEnd = () => {
      cleanup();
      resolve(Buffer.concat(chunks).toString('utf8'));
    };
    const onError = () => fail(new UsageError('--token-stdin: stdin could not be read'));
    const onAbort = () => fail(signal?.reason);
    const timer = setTimeout(
      () =>
        fail(
          new UsageError(`--token-stdin: stdin was not closed within ${Math.round(timeoutMs / 1000)} s`, {
            hint: `Pipe the secrets in and close stdin (one line each), for example: printenv MY_TOKEN | ${example}`,
          }),
        ),
      timeoutMs,
    );
    stream.on('data', onData);
    stream.once('end', onEnd);
    stream.once('close', onEnd);
    stream.once('error', onError);
    signal?.addEventListener('abort', onAbort, { once: true });
    stream.resume();
  });
}

const connect: CommandModule = async (ctx, positional, options) => {
  const system = parseSystem(positional[0]);
  let plan = await planConnect(system, options, { env: ctx.env, sandbox: ctx.sandbox, commandLine: ctx.commandLine, adapters: ctx.adapters });
  if (plan.stdinLines > 0) {
    // the example is the command the user ran, which already carries --token-stdin
    const text = await readStdinToEnd(ctx.io.stdin, STDIN_TIMEOUT_MS, ctx.signal, ctx.commandLine(...ctx.argv));
    plan = withStdinSecrets(plan, text, ctx.commandLine);
  }
  const outcome = await runConnect(ctx, plan);
  return {
    ...outcome,
    render: (style) => {
      const [first = '', ...rest] = renderConnect(outcome.result);
      return [`${style.green('✔')} ${first}`, ...rest.map((line) => `  ${line}`)].join('\n');
    },
  };
};
export default connect;
