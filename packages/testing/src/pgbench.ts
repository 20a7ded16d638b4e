import { execFileSync } from 'node:child_process';

/**
 * What this machine's PostgreSQL can commit: pgbench -N -c 16 -j 2 -T 15 (scale 10) on a scratch
 * database. Every benchmark reports its throughput as a ratio to this, measured in the same run.
 */
export function pgbenchBaseline(adminUrl: string): number {
  const url = new URL(adminUrl);
  const db = `bench_pgbench_${Date.now()}`;
  const args = ['-h', decodeURIComponent(url.hostname), '-p', url.port || '5432', '-U', decodeURIComponent(url.username || 'postgres')];
  execFileSync('psql', [...args, '-d', 'postgres', '-qc', `create database ${db}`]);
  try {
    execFileSync('pgbench', [...args, '-i', '-s', '10', '-q', db], { stdio: 'ignore' });
    const out = execFileSync('pgbench', [...args, '-N', '-c', '16', '-j', '2', '-T', '15', db], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
    const tps = /tps = ([\d.]+)/.exec(out);
    if (!tps) throw new Error(`pgbench printed no tps:\n${out}`);
    return Number(tps[1]);
  } finally {
    execFileSync('psql', [...args, '-d', 'postgres', '-qc', `drop database if exists ${db} with (force)`]);
  }
}
