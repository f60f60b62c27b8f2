import { readFileSync, readdirSync } from 'node:fs';
import { resolve, sep } from 'node:path';

/** Peak resident set size of a live process (VmHWM), in MB; undefined if it is gone or off Linux. */
export function peakRssMb(pid: number): number | undefined {
  try {
    const match = /^VmHWM:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) / 1024 : undefined;
  } catch {
    return undefined;
  }
}

/** The live children of a process, found by scanning /proc (Linux). */
export function childPids(parentPid: number): number[] {
  const children: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      // "pid (comm) state ppid …": comm may hold spaces and parentheses, so read after the last ')'.
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid === parentPid) children.push(Number(entry));
    } catch {
      // The process ended while we looked.
    }
  }
  return children;
}

/** A process's command line, as its arguments. */
export function commandLineOf(pid: number): string[] {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter((part) => part !== '');
  } catch {
    return [];
  }
}

/** The file system type that holds `path` (ext4, tmpfs, …), from /proc/mounts; undefined off Linux. */
export function fileSystemOf(path: string): string | undefined {
  try {
    const target = resolve(path);
    let best: { mountPoint: string; type: string } | undefined;
    for (const line of readFileSync('/proc/mounts', 'utf8').split('\n')) {
      const [, mountPoint, type] = line.split(' ');
      if (!mountPoint || !type) continue;
      const inside = mountPoint === '/' || target === mountPoint || target.startsWith(`${mountPoint}${sep}`);
      if (inside && (!best || mountPoint.length >= best.mountPoint.length)) best = { mountPoint, type };
    }
    return best?.type;
  } catch {
    return undefined;
  }
}
