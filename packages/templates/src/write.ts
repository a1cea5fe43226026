import { statSync, unlinkSync } from 'node:fs';
import type { Stats } from 'node:fs';
import { dirname } from 'node:path';
import { createTwoFilesPatch } from 'diff';
import { commitFile, discardFile, inspectPath, regularFileStats, stageFile } from '@smeconf/files';
import type { Existing } from '@smeconf/files';
import { TemplateError } from './template-error.ts';
import type { Metadata } from './metadata.ts';
import { resolveGroup, resolveUser } from './owners.ts';

/** What expanding one target would do, computed without touching the disk. */
export interface WritePlan {
  readonly path: string;
  /** The new content, or null to delete the target. */
  readonly content: string | null;
  /** The current content, or null when there is no target. */
  readonly current: string | null;
  readonly action: 'create' | 'update' | 'unchanged' | 'delete' | 'absent';
  readonly metadata: Metadata;
  /**
   * Set when the target is a symbolic link or a special file: it is
   * replaced (or deleted) as it stands, never read or written through,
   * and `current` is null.
   */
  readonly note?: string;
}

/**
 * What writing `content` (null: deleting) to `path` would do. A symlink at
 * the path is not followed: the write replaces the link by a regular file,
 * as SME's rename does, and the plan says so in `note`.
 */
export function planWrite(path: string, content: string | null, metadata: Metadata): WritePlan {
  const existing = inspectTarget(path);
  if (existing.kind === 'directory') throw new TemplateError('E_TPL_OUTPUT', `cannot write ${path}: it is a directory`);
  const current = existing.kind === 'file' ? existing.text : null;
  const note = NOTES[existing.kind];
  const base = { path, content, current, metadata, ...(note !== undefined && { note }) };
  if (content === null) return { ...base, action: existing.kind === 'absent' ? 'absent' : 'delete' };
  if (!statSync(dirname(path), { throwIfNoEntry: false })?.isDirectory()) {
    throw new TemplateError('E_TPL_OUTPUT', `cannot write ${path}: directory ${dirname(path)} does not exist`);
  }
  return { ...base, action: existing.kind === 'absent' ? 'create' : current === content ? 'unchanged' : 'update' };
}

const NOTES: Partial<Record<Existing['kind'], string>> = {
  symlink: '(a symbolic link, not followed: replaced by a regular file)',
  special: '(not a regular file: replaced by one)',
};

function inspectTarget(path: string): Existing {
  try {
    return inspectPath(path);
  } catch (error) {
    throw new TemplateError('E_TPL_OUTPUT', `cannot read ${path}: ${(error as Error).message}`, { cause: error });
  }
}

/** A unified diff of a plan ('' when nothing changes). */
export function planDiff(plan: WritePlan): string {
  if (plan.action === 'unchanged' || plan.action === 'absent') return '';
  const before = plan.note ?? (plan.current === null ? '(new file)' : '');
  return createTwoFilesPatch(plan.path, plan.path, plan.current ?? '', plan.content ?? '', before, plan.content === null ? '(deleted)' : '');
}

/** A new target content written beside it, not yet swapped in. */
export interface StagedWrite {
  readonly plan: WritePlan;
  /** The staged file's path (absent for a delete). */
  readonly temp: string | null;
}

/**
 * Stages a plan: the new content in a temp file beside the target, fsynced,
 * with its final mode and owner (@smeconf/files: created exclusively, never
 * through a symlink, an unpredictable name; stale temps of killed runs in
 * that directory are removed first). An existing regular target keeps its
 * owner and mode unless the metadata names them; a new one, or one that
 * replaces a symlink, gets PERMS/UID/GID (default 0644 root:root).
 * Ownership a non-root user may not give is reported through `warn`, not
 * fatal. Returns undefined when there is nothing to do (unchanged or
 * already absent).
 */
export function stageWrite(plan: WritePlan, warn: (message: string) => void): StagedWrite | undefined {
  if (plan.action === 'absent' || plan.action === 'unchanged') return undefined;
  if (plan.content === null) return { plan, temp: null };
  try {
    const existing = regularFileStats(plan.path);
    const { uid, gid } = ownerFor(plan, existing, warn);
    const temp = stageFile(plan.path, plan.content, {
      mode: plan.metadata.perms ?? (existing ? existing.mode & 0o7777 : 0o644),
      uid,
      gid,
      onChownDenied: () => warnOnce(warn, `not running as root: files keep their owner (wanted ${uid}:${gid} for ${plan.path})`),
    });
    return { plan, temp };
  } catch (error) {
    throw new TemplateError('E_TPL_OUTPUT', `cannot write ${plan.path}: ${(error as Error).message}`, { cause: error });
  }
}

/** Swaps a staged file in (a rename), or deletes the target. */
export function commitStaged(staged: StagedWrite): void {
  try {
    if (staged.temp === null) unlinkSync(staged.plan.path);
    else commitFile(staged.temp, staged.plan.path);
  } catch (error) {
    discardStaged(staged);
    throw new TemplateError('E_TPL_OUTPUT', `cannot write ${staged.plan.path}: ${(error as Error).message}`, { cause: error });
  }
}

export function discardStaged(staged: StagedWrite): void {
  if (staged.temp !== null) discardFile(staged.temp);
}

/** Carries a plan out: stage, then swap in. An unchanged target is left alone (same inode and mtime). */
export function applyWrite(plan: WritePlan, warn: (message: string) => void): void {
  const staged = stageWrite(plan, warn);
  if (staged !== undefined) commitStaged(staged);
}

function ownerFor(plan: WritePlan, existing: Stats | undefined, warn: (message: string) => void): { uid: number; gid: number } {
  const uid = plan.metadata.uid !== undefined ? resolveUser(plan.metadata.uid, warn) : (existing?.uid ?? 0);
  const gid = plan.metadata.gid !== undefined ? resolveGroup(plan.metadata.gid, warn) : (existing?.gid ?? 0);
  return { uid, gid };
}

/** The warn sinks (one a run) already told that ownership cannot be given: one warning a run, not one a process. */
const toldOwnership = new WeakSet<(message: string) => void>();

function warnOnce(warn: (message: string) => void, message: string): void {
  if (toldOwnership.has(warn)) return;
  toldOwnership.add(warn);
  warn(message);
}

