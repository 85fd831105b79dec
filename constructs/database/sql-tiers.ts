/** Cloud SQL for PostgreSQL editions and the machine tiers each accepts (FACTS.md §3). */
export type SqlEdition = 'ENTERPRISE' | 'ENTERPRISE_PLUS';

const SHARED_CORE: Record<string, number> = { 'db-f1-micro': 614, 'db-g1-small': 1700 };
const CUSTOM = /^db-custom-(\d+)-(\d+)$/;
const PERF_OPTIMIZED = /^db-perf-optimized-N-(\d+)$/;

/** Memory of a tier in MB, or undefined for an unknown tier. */
export function tierMemoryMb(tier: string): number | undefined {
  if (tier in SHARED_CORE) return SHARED_CORE[tier];
  const custom = CUSTOM.exec(tier);
  if (custom) return Number(custom[2]);
  const perf = PERF_OPTIMIZED.exec(tier);
  if (perf) return Number(perf[1]) * 8192;
  return undefined;
}

/** Returns every problem with an edition/tier pair. */
export function checkTier(edition: string, tier: string): string[] {
  const problems: string[] = [];
  if (edition !== 'ENTERPRISE' && edition !== 'ENTERPRISE_PLUS') {
    return [`edition "${edition}" is not allowed; use "ENTERPRISE" or "ENTERPRISE_PLUS"`];
  }
  const shared = tier in SHARED_CORE;
  const custom = CUSTOM.exec(tier);
  const perf = PERF_OPTIMIZED.exec(tier);
  if (!shared && !custom && !perf) {
    return [
      `tier "${tier}" is not a Cloud SQL for PostgreSQL tier; use db-f1-micro, db-g1-small or db-custom-CPUS-MEMORY_MB (ENTERPRISE), or db-perf-optimized-N-CPUS (ENTERPRISE_PLUS)`,
    ];
  }
  if (edition === 'ENTERPRISE_PLUS' && !perf) {
    problems.push(
      `tier "${tier}" needs edition "ENTERPRISE"; edition "ENTERPRISE_PLUS" takes only db-perf-optimized-N-* tiers`,
    );
  }
  if (edition === 'ENTERPRISE' && perf) {
    problems.push(
      `tier "${tier}" needs edition "ENTERPRISE_PLUS"; edition "ENTERPRISE" takes db-f1-micro, db-g1-small and db-custom-* tiers`,
    );
  }
  if (custom) {
    const cpus = Number(custom[1]);
    const mem = Number(custom[2]);
    if (!(cpus === 1 || (cpus % 2 === 0 && cpus <= 96))) {
      problems.push(`tier "${tier}" has ${cpus} vCPUs; allowed: 1 or an even number up to 96`);
    }
    if (mem % 256 !== 0 || mem < 3840 || mem > cpus * 6656) {
      problems.push(
        `tier "${tier}" has ${mem} MB of memory; allowed: a multiple of 256 MB, at least 3840 MB and at most 6.5 GB (6656 MB) per vCPU`,
      );
    }
  }
  return problems;
}

/**
 * Cloud SQL for PostgreSQL's default `max_connections` for a tier's memory
 * (cloud.google.com/sql/docs/postgres/flags#postgres-m, FACTS.md §3).
 */
export function defaultMaxConnections(memoryMb: number): number {
  const gb = memoryMb / 1024;
  if (gb < 1) return 25;
  if (gb < 3.75) return 50;
  if (gb < 6) return 100;
  if (gb < 30) return 400;
  if (gb < 120) return 500;
  return 1000;
}
