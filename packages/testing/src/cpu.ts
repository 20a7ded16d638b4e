import { readdirSync, readFileSync } from 'node:fs';

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
