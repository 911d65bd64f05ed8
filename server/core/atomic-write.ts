import { closeSync, existsSync, fsyncSync, linkSync, openSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { basename, dirname, join } from 'node:path';

export interface AtomicWriteOptions {
  /** File mode of the new file; default 0o600 because config.yaml may hold secrets. */
  mode?: number;
  /** false: leave an existing file alone and return false. Default true. */
  overwrite?: boolean;
}

/**
 * Writes `path` so that readers (the hot-reloading gateway, a person's editor) see either the old or the new
 * file, never half of one: the data goes to a temp file in the same folder (same filesystem, so rename is
 * atomic), is flushed to disk, then takes the final name. Returns whether the file was written.
 */
export function writeFileAtomic(path: string, data: string, options: AtomicWriteOptions = {}): boolean {
  const temp = join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  const fd = openSync(temp, 'wx', options.mode ?? 0o600);
  try {
    writeSync(fd, data);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  try {
    if (options.overwrite === false) return linkNoClobber(temp, path);
    renameSync(temp, path);
    return true;
  } finally {
    try {
      unlinkSync(temp);
    } catch {
      // Already renamed away: nothing to clean up.
    }
  }
}

/** A hard link fails if the target exists, so two first runs racing cannot overwrite each other's file. */
function linkNoClobber(temp: string, path: string): boolean {
  try {
    linkSync(temp, path);
    return true;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') return false;
    // Filesystems without hard links (some network and FAT volumes): fall back to a checked rename.
    if (code === 'EPERM' || code === 'ENOTSUP' || code === 'EOPNOTSUPP' || code === 'ENOSYS') return renameIfAbsent(temp, path);
    throw error;
  }
}

function renameIfAbsent(temp: string, path: string): boolean {
  if (existsSync(path)) return false;
  renameSync(temp, path);
  return true;
}
