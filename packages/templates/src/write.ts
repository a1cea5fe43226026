import { closeSync, fchmodSync, fchownSync, fsyncSync, openSync, readFileSync, renameSync, rmSync, statSync, unlinkSync, writeSync } from 'node:fs';
import type { Stats } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { createTwoFilesPatch } from 'diff';
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
}

export function planWrite(path: string, content: string | null, metadata: Metadata): WritePlan {
  const stat = statSync(path, { throwIfNoEntry: false });
  if (stat?.isDirectory()) throw new TemplateError('E_TPL_OUTPUT', `cannot write ${path}: it is a directory`);
  const current = stat === undefined ? null : readFileSync(path, 'utf8');
  if (content === null) return { path, content, current, action: current === null ? 'absent' : 'delete', metadata };
  if (!statSync(dirname(path), { throwIfNoEntry: false })?.isDirectory()) {
    throw new TemplateError('E_TPL_OUTPUT', `cannot write ${path}: directory ${dirname(path)} does not exist`);
  }
  const action = current === null ? 'create' : current === content ? 'unchanged' : 'update';
  return { path, content, current, action, metadata };
}

/** A unified diff of a plan ('' when nothing changes). */
export function planDiff(plan: WritePlan): string {
  if (plan.action === 'unchanged' || plan.action === 'absent') return '';
  return createTwoFilesPatch(plan.path, plan.path, plan.current ?? '', plan.content ?? '', plan.current === null ? '(new file)' : '', plan.content === null ? '(deleted)' : '');
}

/** A new target content written beside it, not yet swapped in. */
export interface StagedWrite {
  readonly plan: WritePlan;
  /** The staged file's path (absent for a delete). */
  readonly temp: string | null;
}

/**
 * Stages a plan: the new content in a temp file beside the target, fsynced,
 * with its final mode and owner. An existing target keeps its owner and
 * mode unless the metadata names them; a new one gets PERMS/UID/GID
 * (default 0644 root:root). Ownership a non-root user may not give is
 * reported through `warn`, not fatal. Returns undefined when there is
 * nothing to do (unchanged or already absent).
 */
export function stageWrite(plan: WritePlan, warn: (message: string) => void): StagedWrite | undefined {
  if (plan.action === 'absent' || plan.action === 'unchanged') return undefined;
  if (plan.content === null) return { plan, temp: null };
  const existing = statSync(plan.path, { throwIfNoEntry: false });
  const temp = join(dirname(plan.path), `.${basename(plan.path)}.smeconf-${process.pid}`);
  try {
    const fd = openSync(temp, 'w', 0o600);
    try {
      writeSync(fd, plan.content);
      fsyncSync(fd);
      fchmodSync(fd, plan.metadata.perms ?? (existing ? existing.mode & 0o7777 : 0o644));
      setOwner(fd, plan, existing, warn);
    } finally {
      closeSync(fd);
    }
    return { plan, temp };
  } catch (error) {
    rmSync(temp, { force: true });
    throw new TemplateError('E_TPL_OUTPUT', `cannot write ${plan.path}: ${(error as Error).message}`, { cause: error });
  }
}

/** Swaps a staged file in (a rename), or deletes the target. */
export function commitStaged(staged: StagedWrite): void {
  try {
    if (staged.temp === null) unlinkSync(staged.plan.path);
    else renameSync(staged.temp, staged.plan.path);
  } catch (error) {
    discardStaged(staged);
    throw new TemplateError('E_TPL_OUTPUT', `cannot write ${staged.plan.path}: ${(error as Error).message}`, { cause: error });
  }
}

export function discardStaged(staged: StagedWrite): void {
  if (staged.temp !== null) rmSync(staged.temp, { force: true });
}

/** Carries a plan out: stage, then swap in. An unchanged target is left alone (same inode and mtime). */
export function applyWrite(plan: WritePlan, warn: (message: string) => void): void {
  const staged = stageWrite(plan, warn);
  if (staged !== undefined) commitStaged(staged);
}

function setOwner(fd: number, plan: WritePlan, existing: Stats | undefined, warn: (message: string) => void): void {
  const uid = plan.metadata.uid !== undefined ? resolveUser(plan.metadata.uid, warn) : (existing?.uid ?? 0);
  const gid = plan.metadata.gid !== undefined ? resolveGroup(plan.metadata.gid, warn) : (existing?.gid ?? 0);
  try {
    fchownSync(fd, uid, gid);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EPERM') throw error;
    warnOnce(warn, `not running as root: files keep their owner (wanted ${uid}:${gid} for ${plan.path})`);
  }
}

let warnedOwnership = false;

function warnOnce(warn: (message: string) => void, message: string): void {
  if (warnedOwnership) return;
  warnedOwnership = true;
  warn(message);
}

