import { readdirSync, readFileSync } from 'node:fs';
import { cpus } from 'node:os';

export type CpuSample = Map<string, [number, number]>;

/** CPU ticks (user, system) per process whose command line matches, from /proc (Linux). */
export function sampleCpu(match: (cmdline: string) => boolean): CpuSample {
  const sample: CpuSample = new Map();
  for (const pid of readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    try {
      const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ');
      if (!match(cmdline)) continue;
      const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
      sample.set(pid, [Number(fields[11]), Number(fields[12])]);
    } catch {
      // the process ended between listing and reading
    }
  }
  return sample;
}

/** Seconds (user, system) used between two samples by processes alive at the end; ones that ended are not seen. */
export function cpuBetween(before: CpuSample, after: CpuSample): [number, number] {
  let user = 0;
  let system = 0;
  for (const [pid, [u, s]] of after) {
    const [u0, s0] = before.get(pid) ?? [0, 0];
    user += u - u0;
    system += s - s0;
  }
  return [user / 100, system / 100];
}

export interface MachineCpuSample {
  busy: number;
  total: number;
}

/** The whole machine's CPU time so far, busy and in all, summed over its cores (os.cpus()). */
export function sampleMachineCpu(): MachineCpuSample {
  let busy = 0;
  let total = 0;
  for (const { times } of cpus()) {
    busy += times.user + times.nice + times.sys + times.irq;
    total += times.user + times.nice + times.sys + times.irq + times.idle;
  }
  return { busy, total };
}

/** The share of the machine's CPU that was busy between two samples, 0–1. */
export function machineBusyBetween(before: MachineCpuSample, after: MachineCpuSample): number {
  return (after.busy - before.busy) / Math.max(1, after.total - before.total);
}
