// Per-profile state, kept apart between sandbox and real. Every change is read-modify-write under one lock
// per profile: re-read inside the lock, written atomically with mode 0600. conf does the file I/O (it re-reads
// on every `.store` access and writes atomically) but only ever inside this lock, because on its own it
// rewrites the whole file and would lose a concurrent process's change. Reading is a plain JSON.parse (what
// conf's own read does here: no schema, no encryption), so a command that only reads never loads conf (and its
// JSON-schema validator) or proper-lockfile; both load on the first write. A file that cannot be read or parsed
// is a local fault (config_error) naming the path and the fix; nothing rewrites it unless asked.
import { accessSync, constants as fsConstants, chmodSync, mkdirSync, readFileSync, renameSync, rmSync, statSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import type Conf from 'conf';
import { commandLineFor, shellQuote, type CommandLine } from '../core/command-line.js';
import { ConfigError, OnboardError } from '../core/errors.js';
import type { DocumentName, DocumentSchema, DocumentStore, Namespace } from '../core/store.js';
import { profileDir } from './paths.js';

const DIR_MODE = 0o700;
const FILE_MODE = 0o600;

export const DOCUMENTS: Record<Namespace, DocumentName[]> = { real: ['state', 'credentials'], sandbox: ['state', 'credentials', 'world', 'server'] };

/** What each document holds, for saying what moving it aside loses. */
const HOLDS: Record<DocumentName, string> = {
  state: 'the settings and tracked runs',
  credentials: 'the connections',
  world: 'the sandbox world',
  server: 'the record of a running sandbox server',
};

/** The errors of the file system that mean "this path cannot be used", as opposed to a bug. */
const ACCESS_CODES: Record<string, string> = {
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EROFS: 'the file system is read-only',
  ENOSPC: 'no space left on the device',
  EDQUOT: 'the disk quota is exceeded',
  ENOTDIR: 'a part of the path is not a folder',
  EISDIR: 'it is a folder, not a file',
};

function errnoOf(error: unknown): { code: string; path?: string } | null {
  const code = (error as NodeJS.ErrnoException | null)?.code;
  return typeof code === 'string' && code in ACCESS_CODES ? { code, path: (error as NodeJS.ErrnoException).path } : null;
}

/**
 * The fix for a path under `root` that cannot be used: `chmod` when every existing folder on the way belongs to
 * this user, else `chown` (onboard once ran as another user, for example with sudo), or another folder.
 */
export function accessFix(root: string, path: string, uid = process.getuid?.()): string {
  const q = shellQuote(root);
  if (uid === undefined) return `Make ${root} readable and writable for your user, or set ONBOARD_CONFIG_DIR to a folder of yours.`;
  const owners = new Set<number>();
  const inside = relative(root, path);
  const chain = inside.startsWith('..')
    ? [path]
    : [
        root,
        ...inside
          .split(sep)
          .filter(Boolean)
          .map((_, i, parts) => join(root, ...parts.slice(0, i + 1))),
      ];
  for (const entry of chain) {
    try {
      owners.add(statSync(entry).uid);
    } catch {
      break;
    }
  }
  const foreign = [...owners].some((owner) => owner !== uid);
  if (foreign)
    return `It belongs to another user (was onboard run with sudo?). Give it back: sudo chown -R "$(id -un)" ${q} — or set ONBOARD_CONFIG_DIR to a folder of yours.`;
  return `Give your user access again: chmod -R u+rwX ${q}`;
}

/**
 * A raw file-system error on a path under the configuration directory (raised outside the store, for example
 * while writing a report) as the local fault it is; null for anything else.
 */
export function configFault(error: unknown, root: string): ConfigError | null {
  const errno = errnoOf(error);
  if (!errno?.path) return null;
  const inside = relative(root, errno.path);
  if (inside.startsWith('..') || inside === errno.path) return null;
  return new ConfigError('denied', errno.path, `Cannot use ${errno.path}: ${ACCESS_CODES[errno.code]}`, {
    hint: errno.code === 'ENOSPC' || errno.code === 'EDQUOT' ? 'Free some space, then run the command again.' : accessFix(root, errno.path),
    cause: error,
  });
}

/** A lock older than this is a crashed process's (proper-lockfile refreshes a held lock's mtime every 5 s). */
const LOCK_STALE_MS = 10_000;
/** How long a read waits for a writer to finish. */
const LOCK_WAIT_MS = 60_000;

export class ProfileStore implements DocumentStore {
  readonly dir: string;
  private readonly commandLine: CommandLine;

  constructor(
    readonly root: string,
    readonly profile: string,
    /** builds the commands printed in fixes (same world, profile and launcher as the invocation) */
    commandLine?: CommandLine,
  ) {
    this.dir = profileDir(root, profile);
    this.commandLine = commandLine ?? commandLineFor({ sandbox: false, profileFlag: profile === 'default' ? null : profile, launcher: ['onboard'] });
  }

  /** A path that cannot be read, written or created, named, with the fix that works for it. */
  private denied(error: unknown, path: string, doing: 'read' | 'write' | 'create' | 'lock' | 'remove'): unknown {
    const errno = errnoOf(error);
    if (!errno) return error;
    // an atomic write fails on its temporary file next to the document: name the document
    const where = errno.path && !errno.path.startsWith(`${path}.`) ? errno.path : path;
    return new ConfigError('denied', where, `Cannot ${doing} ${where}: ${ACCESS_CODES[errno.code]}`, {
      hint: errno.code === 'ENOSPC' || errno.code === 'EDQUOT' ? 'Free some space, then run the command again.' : accessFix(this.root, where),
      cause: error,
    });
  }

  /** A file that is there but not what onboard wrote. Nothing rewrites it unless asked (doctor --fix). */
  private damaged(ns: Namespace, name: DocumentName, why: string): ConfigError {
    const path = this.filePath(ns, name);
    return new ConfigError('damaged', path, `${path} is damaged: ${why}`, {
      hint: `It holds ${HOLDS[name]}. Restore it from a backup, or move it aside (onboard starts that part afresh): ${this.commandLine('doctor', '--fix')}`,
    });
  }

  private ensureDir(path: string): void {
    try {
      mkdirSync(path, { recursive: true, mode: DIR_MODE });
      // mkdir's mode is masked by umask; the spec wants the configuration directory owner-only.
      chmodSync(this.root, DIR_MODE);
    } catch (error) {
      throw this.denied(error, path, 'create');
    }
  }

  accessFix(path: string): string {
    return accessFix(this.root, path);
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
    // proper-lockfile retries every failure for up to a minute; a folder onboard may not write fails at once
    try {
      accessSync(this.dir, fsConstants.W_OK | fsConstants.X_OK);
    } catch (error) {
      throw this.denied(error, join(this.dir, '.lock'), 'lock');
    }
    const { default: lockfile } = await import('proper-lockfile');
    let release: () => Promise<void>;
    try {
      release = await lockfile.lock(this.dir, {
        lockfilePath: join(this.dir, '.lock'),
        realpath: false,
        stale: LOCK_STALE_MS,
        // Up to about a minute of waiting: ten busy processes on one profile take turns, none gives up.
        retries: { retries: 1200, factor: 1.2, minTimeout: 5, maxTimeout: 50, randomize: true },
      });
    } catch (error) {
      const denied = this.denied(error, join(this.dir, '.lock'), 'lock');
      if (denied !== error) throw denied;
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

  /**
   * Runs a read under the profile's lock where the folder can be written. Where it cannot (a read-only
   * folder), the read goes ahead without it: every write is an atomic rename, so a read sees a whole document.
   *
   * A read holds the lock for a moment, so it takes it the way proper-lockfile does (mkdir of the same `.lock`
   * folder; a lock older than the writers' 10 s stale limit is a crashed process's) without loading that
   * library and graceful-fs, most of a reading command's startup. Writers wait for it as for any holder.
   */
  async readLocked<T>(fn: () => T): Promise<T> {
    try {
      accessSync(this.dir, fsConstants.W_OK | fsConstants.X_OK);
    } catch {
      return fn();
    }
    const lockPath = join(this.dir, '.lock');
    const deadline = Date.now() + LOCK_WAIT_MS;
    for (let delay = 5; ; delay = Math.min(delay * 2, 50)) {
      try {
        mkdirSync(lockPath);
        break;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw this.denied(error, lockPath, 'lock');
        const held = (() => {
          try {
            return Date.now() - statSync(lockPath).mtimeMs < LOCK_STALE_MS;
          } catch {
            return false; // released meanwhile: try again at once
          }
        })();
        // a stale lock is a crashed writer's: its documents are whole (atomic renames), so read them
        if (!held) return fn();
        if (Date.now() > deadline) {
          throw new OnboardError('upstream_error', `Could not lock the "${this.profile}" profile's state`, {
            hint: 'Another onboard process may be stuck; try again in a few seconds.',
          });
        }
        await new Promise((resolve) => setTimeout(resolve, delay));
      }
    }
    try {
      return fn();
    } finally {
      rmSync(lockPath, { recursive: true, force: true });
    }
  }

  /** The document's JSON as stored ({} when there is none). Reads only: creates nothing, changes no mode. */
  private readRaw(ns: Namespace, name: DocumentName): Record<string, unknown> {
    const path = this.filePath(ns, name);
    let text: string;
    try {
      text = readFileSync(path, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return {};
      throw this.denied(error, path, 'read');
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      throw this.damaged(ns, name, text.trim() === '' ? 'it is empty' : 'it is not valid JSON');
    }
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) throw this.damaged(ns, name, 'it does not hold a JSON object');
    return parsed as Record<string, unknown>;
  }

  /** Reads a document without the lock (a snapshot; use update() to change it). */
  read<T>(ns: Namespace, name: DocumentName, schema: DocumentSchema<T>): T {
    const parsed = schema.safeParse(this.readRaw(ns, name));
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const at = issue && issue.path.length > 0 ? ` (at ${issue.path.join('.')})` : '';
      throw this.damaged(ns, name, `it does not hold what onboard wrote${at}`);
    }
    return parsed.data;
  }

  /**
   * Read-modify-write under the lock. `mutate` gets the fresh document and changes it in place; the file is
   * written only when something changed.
   */
  async update<T, R = void>(ns: Namespace, name: DocumentName, schema: DocumentSchema<T>, mutate: (current: T) => R): Promise<{ document: T; result: R }> {
    const { default: Conf } = await import('conf');
    return this.withLock(() => {
      const document = this.read(ns, name, schema);
      const before = JSON.stringify(document);
      const result = mutate(document);
      if (JSON.stringify(document) !== before) {
        const path = this.filePath(ns, name);
        try {
          this.conf(Conf, ns, name).store = document as Record<string, unknown>;
          chmodSync(path, FILE_MODE);
        } catch (error) {
          throw this.denied(error, path, 'write');
        }
      }
      return { document, result };
    });
  }

  /** Removes one document under the lock. */
  async remove(ns: Namespace, name: DocumentName): Promise<void> {
    const path = this.filePath(ns, name);
    await this.withLock(() => {
      try {
        rmSync(path, { force: true });
      } catch (error) {
        throw this.denied(error, path, 'remove');
      }
    });
  }

  /** Each document of the namespace that cannot be read as JSON: its error (the schema is checked by its reader). */
  inspect(ns: Namespace): { name: DocumentName; error: ConfigError }[] {
    const found: { name: DocumentName; error: ConfigError }[] = [];
    for (const name of DOCUMENTS[ns]) {
      try {
        this.readRaw(ns, name);
      } catch (error) {
        if (error instanceof ConfigError) found.push({ name, error });
        else throw error;
      }
    }
    return found;
  }

  /** Moves a damaged document aside (`<name>.json.damaged-<time>`) under the lock; returns the new path. */
  async moveAside(ns: Namespace, name: DocumentName, now = new Date()): Promise<string> {
    const path = this.filePath(ns, name);
    const aside = `${path}.damaged-${now.toISOString().replace(/[:.]/g, '-')}`;
    await this.withLock(() => {
      try {
        renameSync(path, aside);
      } catch (error) {
        throw this.denied(error, dirname(path), 'write');
      }
    });
    return aside;
  }
}
