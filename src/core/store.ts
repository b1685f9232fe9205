// The port to the profile's documents: what the core needs of storage, defined here and implemented by
// src/config/store.ts (files under the configuration folder, one lock per profile).
import type { ConfigError } from './errors.js';

/** Sandbox and real records are kept apart. */
export type Namespace = 'real' | 'sandbox';
export type DocumentName = 'state' | 'credentials' | 'world' | 'server';

/** Checks a document's shape: a zod (or zod/mini) schema fits, as does anything with the same `safeParse`. */
export interface DocumentSchema<T> {
  safeParse(data: unknown): { success: true; data: T } | { success: false; error: { issues: readonly { path: readonly PropertyKey[] }[] } };
}

export interface DocumentStore {
  /** the configuration folder */
  readonly root: string;
  readonly profile: string;
  /** the profile's folder */
  readonly dir: string;
  namespaceDir(ns: Namespace): string;
  filePath(ns: Namespace, name: DocumentName): string;
  /** a snapshot, without the lock; a damaged or unreadable file throws a ConfigError naming it */
  read<T>(ns: Namespace, name: DocumentName, schema: DocumentSchema<T>): T;
  /** runs `fn` under the profile's lock where the folder is writable (a consistent read of several documents) */
  readLocked<T>(fn: () => T): Promise<T>;
  /** read-modify-write under the lock; written only when `mutate` changed something */
  update<T, R = void>(ns: Namespace, name: DocumentName, schema: DocumentSchema<T>, mutate: (current: T) => R): Promise<{ document: T; result: R }>;
  remove(ns: Namespace, name: DocumentName): Promise<void>;
  /** each document of the namespace that cannot be read as JSON, with its error */
  inspect(ns: Namespace): { name: DocumentName; error: ConfigError }[];
  /** moves a damaged document aside; returns where it went */
  moveAside(ns: Namespace, name: DocumentName, now?: Date): Promise<string>;
  /** the fix for a path under the configuration folder that cannot be used (chmod, chown or another folder) */
  accessFix(path: string): string;
}

/** The profiles kept under the configuration folder, each openable as a store (status --all-profiles). */
export interface Profiles {
  names(): string[];
  open(profile: string): DocumentStore;
}
