#!/usr/bin/env node
// A stand-in for psql where no real psql exists (the npm PostgreSQL package ships none).
// It does only what the migration job asks of psql, `psql URL -X -v ON_ERROR_STOP=1 -tAc SQL`:
// one statement through node-postgres, rows printed unaligned (`|` between fields) without
// headers, values as PostgreSQL's text output (`t`/`f`). Anything else is refused, so a
// script needing more of psql fails here instead of passing.
'use strict';
const { Client } = require('pg');

function refuse(message) {
  process.stderr.write(`psql-standin: ${message}\n`);
  process.exit(2);
}

const args = process.argv.slice(2);
let url;
let sql;
let tuplesOnly = false;
let unaligned = false;
for (let i = 0; i < args.length; i++) {
  const a = args[i];
  if (a === '-X' || a === '--no-psqlrc') continue;
  if (a === '-v') {
    if (args[++i] !== 'ON_ERROR_STOP=1') refuse(`-v ${args[i]} is not supported`);
    continue;
  }
  if (/^-[tAc]+$/.test(a)) {
    for (const f of a.slice(1)) {
      if (f === 't') tuplesOnly = true;
      else if (f === 'A') unaligned = true;
      else sql = args[++i];
    }
    continue;
  }
  if (a === '-c') {
    sql = args[++i];
    continue;
  }
  if (a.startsWith('-')) refuse(`option ${a} is not supported`);
  if (url !== undefined) refuse(`a second connection argument "${a}" is not supported`);
  url = a;
}
if (!url || sql === undefined || !tuplesOnly || !unaligned)
  refuse('only `psql URL -tAc SQL` (with -X, -v ON_ERROR_STOP=1) is supported');

(async () => {
  // Raw text values, as psql prints them.
  const client = new Client({ connectionString: url, types: { getTypeParser: () => (v) => v } });
  try {
    await client.connect();
  } catch (e) {
    process.stderr.write(`psql: error: connection to server failed: ${e.message}\n`);
    process.exit(2);
  }
  try {
    const result = await client.query({ text: sql, rowMode: 'array' });
    for (const r of [].concat(result)) {
      for (const row of r.rows ?? []) process.stdout.write(`${row.map((v) => (v === null ? '' : v)).join('|')}\n`);
    }
  } catch (e) {
    process.stderr.write(`ERROR:  ${e.message}\n`);
    process.exitCode = 1;
  } finally {
    await client.end();
  }
})();
