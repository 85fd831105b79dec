// Preloaded by scripts/bench.mjs into every Node process of a measured command (through
// NODE_OPTIONS, so npm, jest workers and tsc report too): appends the process's peak RSS in KB
// and its user + system CPU time in microseconds.
'use strict';
const file = process.env.BENCH_RSS_FILE;
if (file) {
  process.on('exit', () => {
    try {
      const u = process.resourceUsage();
      require('fs').appendFileSync(file, `${u.maxRSS} ${u.userCPUTime + u.systemCPUTime}\n`);
    } catch {
      // A process that cannot report is left out; the others still give the peak.
    }
  });
}
