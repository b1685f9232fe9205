// Per-profile state, kept apart between sandbox and real. Every change is read-modify-write under one lock
// per profile: re-read inside the lock, written atomically with mode 0600. conf does the file I/O (it re-reads
// on every `.store` access and writes atomically) but only ever inside this lock, because on its own it
// rewrites the whole file and would lose a concurrent process's change. Reading is a plain JSON.parse (what
// conf's own read does here: no schema, no encryption), so a command that only reads never loads conf (and its
// JSON-schema validator) or proper-lockfile; both load on the first write.
import { chmodSync, mkdirSync, readFileSync, rmSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import type Conf from 'conf';
import type { z } from 'zod';
import { OnboardError } from '../core/errors.js';
import { profileDir, type Namespace } from './paths.js';

const DIR_MODE = 0o700;
const FILE_MODE = 0o600;

export type DocumentName = 'state' | 'credentials' | 'world' | 'server';

/** A zod schema, full or `zod/mini` (state and credentials use the mini build, which loads in a fraction of the time). */
type Schema = z.core.$ZodType & { safeParse(data: unknown): { success: boolean; data?: unknown } };

export class ProfileStore {
  readonly dir: string;

  constructor(
    readonly root: string,
    readonly profile: string,
  ) {
    this.dir = profileDir(root, profile);
  }

  private ensureDir(path: string): void {
    mkdirSync(path, { recursive: true, mode: DIR_MODE });
    // mkdir's mode is masked by umask; the spec wants the configuration directory owner-only.
    chmodSync(this.root, DIR_MODE);
  }

  namespaceDir(ns: Namespace): string {
    return join(this.dir, ns);
  }

  filePath(ns: Namespace, name: DocumentName): string {
    return join(this.namespaceDir(ns), `${name}.json`);
  }

  private conf(ConfClass: typeof Conf, ns: Namespace, name: DocumentName): Conf<Record<string, unknown>> {
    this.ensureDir(this.namespaceDir(ns));
    return new ConfClass<Record<string, unknown>>({
      cwd: this.namespaceDir(ns),
      configName: name,
      configFileMode: FILE_MODE,
      clearInvalidConfig: false,
      accessPropertiesByDotNotation: false,
    });
  }

  /** Runs `fn` holding this profile's lock. Waits for other processes; a crashed holder's lock goes stale. */
  async withLock<T>(fn: () => Promise<T> | T): Promise<T> {
    this.ensureDir(this.dir);
    const { default: lockfile } = await import('proper-lockfile');
    let release: () => Promise<void>;
    try {
      release = await lockfile.lock(this.dir, {
        lockfilePath: join(this.dir, '.lock'),
        realpath: false,
        stale: 10_000,
        // Up to about a minute of waiting: ten busy processes on one profile take turns, none gives up.
        retries: { retries: 1200, factor: 1.2, minTimeout: 5, maxTimeout: 50, randomize: true },
      });
    } catch (error) {
      throw new OnboardError('upstream_error', `Could not lock the "${this.profile}" profile's state`, {
        hint: 'Another onboard process may be stuck; try again in a few seconds.',
        cause: error,
      });
    }
    try {
      return await fn();
    } finally {
      await release().catch(() => undefined);
    }
  }

  /** Reads a document without the lock (a snapshot; use update() to change it). */
  read<S extends Schema>(ns: Namespace, name: DocumentName, schema: S): z.output<S> {
    const raw: unknown = existsSync(this.filePath(ns, name)) ? JSON.parse(readFileSync(this.filePath(ns, name), 'utf8')) : {};
    const parsed = schema.safeParse(raw);
    if (!parsed.success) {
      throw new OnboardError('unexpected_response', `The stored ${name} of profile "${this.profile}" is not valid`, {
        hint: `Check or remove ${this.filePath(ns, name)}.`,
      });
    }
    return parsed.data as z.output<S>;
  }

  /** Read-modify-write under the lock. `mutate` gets the fresh document and returns the new one (or mutates in place). */
  async update<S extends Schema, R = void>(
    ns: Namespace,
    name: DocumentName,
    schema: S,
    mutate: (current: z.output<S>) => R,
  ): Promise<{ document: z.output<S>; result: R }> {
    const { default: Conf } = await import('conf');
    return this.withLock(() => {
      const document = this.read(ns, name, schema);
      const result = mutate(document);
      this.conf(Conf, ns, name).store = document as Record<string, unknown>;
      chmodSync(this.filePath(ns, name), FILE_MODE);
      return { document, result };
    });
  }

  /** Removes one document under the lock. */
  async remove(ns: Namespace, name: DocumentName): Promise<void> {
    await this.withLock(() => rmSync(this.filePath(ns, name), { force: true }));
  }
}
