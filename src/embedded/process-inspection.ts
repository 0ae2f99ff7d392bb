import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';

/** What the OS reports about a running process. */
export interface ProcessInfo {
  readonly pid: number;
  readonly parentPid: number;
  /** The command line, arguments joined by spaces. */
  readonly command: string;
}

/** Describes process `pid`, or returns null when it is gone or a zombie (exited, not yet reaped by its parent). */
export async function findProcess(pid: number): Promise<ProcessInfo | null> {
  if (!Number.isInteger(pid) || pid <= 0 || !exists(pid)) return null;
  return process.platform === 'linux' ? readProcFs(pid) : readPs(pid);
}

/** True when `pid` is a live process whose working directory is `dir` (a postmaster works in its data dir). */
export async function worksInDirectory(info: ProcessInfo, dir: string): Promise<boolean> {
  if (process.platform !== 'linux') return info.command.includes(dir);
  try {
    const [cwd, target] = await Promise.all([stat(`/proc/${info.pid}/cwd`), stat(dir)]);
    return cwd.dev === target.dev && cwd.ino === target.ino;
  } catch {
    return info.command.includes(dir);
  }
}

function exists(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e: unknown) {
    // EPERM: the process exists but belongs to another user.
    return hasCode(e, 'EPERM');
  }
}

async function readProcFs(pid: number): Promise<ProcessInfo | null> {
  try {
    const [statLine, cmdline] = await Promise.all([
      readFile(`/proc/${pid}/stat`, 'utf8'),
      readFile(`/proc/${pid}/cmdline`, 'utf8'),
    ]);
    // The command name in parentheses may itself hold spaces or parentheses, so parse from the last ')'.
    const [state, parentPid] = statLine.slice(statLine.lastIndexOf(')') + 2).split(' ');
    if (state === 'Z' || state === 'X') return null;
    return { pid, parentPid: Number(parentPid), command: cmdline.split('\0').filter(Boolean).join(' ') };
  } catch {
    return null;
  }
}

function readPs(pid: number): Promise<ProcessInfo | null> {
  return new Promise((resolve) => {
    execFile('ps', ['-ww', '-o', 'ppid=,stat=,command=', '-p', String(pid)], (error, stdout) => {
      const match = /^\s*(\d+)\s+(\S+)\s+(.*)$/m.exec(stdout);
      if (error || !match || match[2]?.startsWith('Z')) return resolve(null);
      resolve({ pid, parentPid: Number(match[1]), command: match[3] ?? '' });
    });
  });
}

function hasCode(e: unknown, code: string): boolean {
  return typeof e === 'object' && e !== null && 'code' in e && e.code === code;
}

/** Synchronously: whether `pid` is a live process (not gone, not a zombie). Cheap enough for every isConnected(). */
export function isRunningSync(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0 || !exists(pid)) return false;
  if (process.platform !== 'linux') return true;
  try {
    const statLine = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const state = statLine.slice(statLine.lastIndexOf(')') + 2, statLine.lastIndexOf(')') + 3);
    return state !== 'Z' && state !== 'X';
  } catch {
    return false;
  }
}
