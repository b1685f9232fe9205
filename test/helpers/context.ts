// A core Context built by hand for tests: a temp profile store, a non-interactive prompter, a reporter that
// records every line, and the adapters the test gives (real adapters talking HTTP to fake servers).
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { ProfileStore } from '../../src/config/store.js';
import { commandLineFor } from '../../src/core/command-line.js';
import type { Context, Systems } from '../../src/core/context.js';
import type { Reporter } from '../../src/core/interaction.js';
import { createPrompter } from '../../src/ui/prompter.js';
import { createAdapters } from '../../src/systems.js';

export interface RecordingReporter extends Reporter {
  lines: string[];
  onBlock?: (lines: string[]) => void;
}

export function recordingReporter(): RecordingReporter {
  const lines: string[] = [];
  const reporter: RecordingReporter = {
    lines,
    heading: (step, title) => lines.push(`## ${step} ${title}`),
    info: (text) => lines.push(text),
    success: (text) => lines.push(`ok ${text}`),
    warn: (text) => lines.push(`! ${text}`),
    block: (block) => {
      lines.push(...block);
      reporter.onBlock?.(block);
    },
    email: (draft) => {
      const block = [`To: ${draft.to ?? '(the supplier)'}`, `Subject: ${draft.subject}`, '', ...draft.body.split('\n')];
      lines.push(...block);
      reporter.onBlock?.(block);
    },
    waiting: (label) => {
      if (lines.at(-1) !== `… ${label}`) lines.push(`… ${label}`);
    },
    stopWaiting: () => undefined,
  };
  return reporter;
}

export function testContext(systems: Systems, options: Partial<Pick<Context, 'timeoutMs' | 'pollIntervalMs' | 'sandbox'>> = {}) {
  const root = mkdtempSync(join(tmpdir(), 'onboard-core-'));
  const reporter = recordingReporter();
  const store = new ProfileStore(root, 'default');
  const streams = { stdin: new PassThrough(), stdout: new PassThrough(), stderr: new PassThrough() };
  const ctx: Context = {
    env: {},
    profile: 'default',
    namespace: options.sandbox ? 'sandbox' : 'real',
    sandbox: options.sandbox ?? false,
    scenario: null,
    store,
    profiles: { names: () => ['default'], open: () => store },
    configRoot: root,
    prompter: createPrompter(streams, false),
    reporter,
    interactive: false,
    timeoutMs: options.timeoutMs ?? null,
    pollIntervalMs: options.pollIntervalMs ?? null,
    signal: new AbortController().signal,
    commandLine: commandLineFor({ sandbox: options.sandbox ?? false, profileFlag: null, launcher: ['onboard'] }),
    argv: ['test-order'],
    systems: async () => systems,
    adapters: createAdapters({}),
  };
  return { ctx, reporter, root };
}
