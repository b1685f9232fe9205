// Ctrl-C and SIGTERM on the built binary under a real pseudo-terminal, while the wizard waits (each virtual
// wait takes real time through ONBOARD_SANDBOX_WAIT_MS so there is a wait to interrupt), then resume.
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..', '..');
const bin = join(root, 'bin', 'onboard.js');
const work = mkdtempSync(join(tmpdir(), 'onboard-signals-'));

// Runs argv under a pty; when `trigger` shows in the output, sends Ctrl-C to the terminal (which the terminal
// turns into SIGINT, or a keypress when a prompt holds it in raw mode) or SIGTERM to the child; prints the
// output, then the exit code.
const PTY_DRIVER = `
import os, pty, sys, time, signal, json, fcntl, termios, struct
argv, trigger, action = json.loads(sys.argv[1]), sys.argv[2].encode(), sys.argv[3]
pid, fd = pty.fork()
if pid == 0:
    fcntl.ioctl(0, termios.TIOCSWINSZ, struct.pack('HHHH', 40, 120, 0, 0))
    os.execvpe(argv[0], argv, os.environ)
out, sent, deadline = b'', False, time.time() + 45
while time.time() < deadline:
    try:
        chunk = os.read(fd, 4096)
    except OSError:
        break
    if not chunk:
        break
    out += chunk
    if not sent and trigger in out:
        sent = True
        time.sleep(0.3)
        if action == 'ctrl-c':
            os.write(fd, b'\\x03')
        else:
            os.kill(pid, signal.SIGTERM)
_, status = os.waitpid(pid, 0)
sys.stdout.write(out.decode('utf-8', 'replace'))
code = os.waitstatus_to_exitcode(status)
sys.stdout.write('\\nEXIT:%d\\n' % code)
`;
const driver = join(work, 'pty-driver.py');
const hasPython = spawnSync('python3', ['-c', 'import pty'], { stdio: 'ignore' }).status === 0;

function underPty(args: string[], env: Record<string, string>, trigger: string, action: 'ctrl-c' | 'sigterm') {
  const output = execFileSync('python3', [driver, JSON.stringify([process.execPath, bin, ...args]), trigger, action], {
    env: { PATH: process.env.PATH, TERM: 'xterm', ...env },
    encoding: 'utf8',
    timeout: 50_000,
  });
  const code = Number(/EXIT:(-?\d+)/.exec(output)?.[1]);
  return { output, code };
}

function runJson(args: string[], env: Record<string, string>) {
  return new Promise<{ code: number | null; json: Record<string, unknown> }>((resolve) => {
    const child = spawn(process.execPath, [bin, ...args, '--json'], { env: { PATH: process.env.PATH, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (c) => (out += c));
    child.on('close', (code) => resolve({ code, json: JSON.parse(out) }));
  });
}

// Each virtual wait takes this many real milliseconds: long enough that a signal sent when "Waiting for the
// supplier" shows still finds the wizard waiting on a busy machine (after it finishes, a late SIGTERM kills the
// process the default way).
const WAIT_MS = '500';

// dist/ is built once for the whole suite by test/global-setup.ts.
beforeAll(() => writeFileSync(driver, PTY_DRIVER));
afterAll(() => rmSync(work, { recursive: true, force: true }));

// Generous timeouts: each test starts several processes, slow on a busy 2-core machine.
describe.skipIf(!hasPython)('cancelling the wizard under a terminal (skipped without python3, which provides the pty)', { timeout: 60_000 }, () => {
  it('Ctrl-C while waiting saves, exits 130 naming the command that resumes; running it again finishes', async () => {
    const env = { ONBOARD_CONFIG_DIR: mkdtempSync(join(work, 'cfg-')), ONBOARD_SANDBOX_WAIT_MS: WAIT_MS };
    const { output, code } = underPty(['test-order', '--sandbox', '--yes'], env, 'Waiting for the supplier', 'ctrl-c');
    expect(code).toBe(130);
    expect(output).toContain('resume with: onboard test-order --sandbox --yes');
    const status = await runJson(['status', '--sandbox'], env);
    expect((status.json.orders as { stage: string }[])[0].stage).toBe('authorized');
    const resumed = await runJson(['test-order', '--sandbox', '--yes'], { ONBOARD_CONFIG_DIR: env.ONBOARD_CONFIG_DIR });
    expect(resumed.code).toBe(0);
    expect(resumed.json.stage).toBe('tracking_synced');
    expect((resumed.json.order as { number: string }).number).toBe('1001');
  });

  it('the resume line carries the profile and the launcher (npx)', async () => {
    const env = { ONBOARD_CONFIG_DIR: mkdtempSync(join(work, 'cfg-')), ONBOARD_SANDBOX_WAIT_MS: WAIT_MS, npm_command: 'exec' };
    const { output, code } = underPty(['test-order', '--sandbox', '--yes', '--profile', 'acme'], env, 'Waiting for the supplier', 'ctrl-c');
    expect(code).toBe(130);
    expect(output).toContain('npx onboard test-order --sandbox --yes --profile acme\r\n');
    const resumed = await runJson(['test-order', '--sandbox', '--yes', '--profile', 'acme'], { ONBOARD_CONFIG_DIR: env.ONBOARD_CONFIG_DIR });
    expect(resumed.json.stage).toBe('tracking_synced');
  });

  it('Ctrl-C inside the authorize question exits 130 without authorizing', async () => {
    const env = { ONBOARD_CONFIG_DIR: mkdtempSync(join(work, 'cfg-')) };
    const { code } = underPty(['test-order', '--sandbox'], env, 'Authorize 10.28 USD for #1001 now?', 'ctrl-c');
    expect(code).toBe(130);
    const track = await runJson(['track', '1001', '--sandbox'], env);
    expect(track.json.stage).toBe('in_portal');
    expect((track.json.confirmed as { routed: boolean }).routed).toBe(false);
  });

  it('SIGTERM while waiting saves and exits 143', async () => {
    const env = { ONBOARD_CONFIG_DIR: mkdtempSync(join(work, 'cfg-')), ONBOARD_SANDBOX_WAIT_MS: WAIT_MS };
    const { code } = underPty(['test-order', '--sandbox', '--yes'], env, 'Waiting for the supplier', 'sigterm');
    expect(code).toBe(143);
    const status = await runJson(['status', '--sandbox'], env);
    expect((status.json.orders as { stage: string }[])[0].stage).toBe('authorized');
  });
});
