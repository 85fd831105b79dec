/**
 * The package works when installed from `npm pack` in a fresh consumer project,
 * through its public entry point only, in JavaScript and in TypeScript.
 */
import { execFileSync, spawnSync } from 'child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join, resolve } from 'path';

const ROOT = resolve(__dirname, '../..');
const PEERS = [
  'cdktf@0.21.0',
  'constructs@10.4.2',
  '@cdktf/provider-google@16.12.1',
  '@cdktf/provider-google-beta@16.12.1',
];

/**
 * The consumer is examples/minimal/main.ts as a user would write it: the one import of the
 * package entry point becomes the package name, nothing else changes.
 */
function consumerSource(): string {
  const source = readFileSync(join(ROOT, 'examples/minimal/main.ts'), 'utf8');
  const entry = "from '../../constructs';";
  if (source.split(entry).length !== 2)
    throw new Error(`examples/minimal/main.ts should import the package once, as ${entry}`);
  return source.replace(entry, "from 'cdktf-twenty-gcp';");
}

/** Runs a program, failing with its output (not just its exit code). */
function run(file: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = process.env): string {
  try {
    return execFileSync(file, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], env });
  } catch (e) {
    const err = e as { stdout?: string; stderr?: string; message: string };
    throw new Error(
      `${file} ${args.join(' ')} failed in ${cwd}:\n${err.stdout ?? ''}${err.stderr ?? ''}${err.message}`,
      { cause: e },
    );
  }
}

describe('npm pack', () => {
  let work: string;
  let tarball: string;

  beforeAll(() => {
    work = mkdtempSync(join(tmpdir(), 'twenty-pack-'));
    const out = run('npm', ['pack', '--json', '--pack-destination', work], ROOT);
    const info = JSON.parse(out.slice(out.indexOf('[')))[0];
    tarball = join(work, info.filename);
    (globalThis as Record<string, unknown>).packFiles = info.files.map((f: { path: string }) => f.path);
  }, 120_000);

  afterAll(() => rmSync(work, { recursive: true, force: true }));

  test('ships compiled constructs and types only', () => {
    const files = (globalThis as Record<string, unknown>).packFiles as string[];
    expect(files).toContain('dist/constructs/index.js');
    expect(files).toContain('dist/constructs/index.d.ts');
    expect(files).toContain('README.md');
    expect(files).toContain('package.json');
    // The image contract is JSON the constructs read at synth.
    expect(files).toContain('dist/constructs/twenty/contract/contract.json');
    const unexpected = files.filter(
      (f) =>
        !/^dist\/constructs\/.+\.(js|d\.ts)$/.test(f) &&
        !/^dist\/constructs\/twenty\/contract\/[\w.-]+\.json$/.test(f) &&
        !['README.md', 'package.json', 'LICENSE'].includes(f),
    );
    expect(unexpected).toEqual([]);
    expect(files.some((f) => /__tests__|stacks\/|main\.js/.test(f))).toBe(false);
  });

  test("the build leaves the bin executable with its shebang: npx runs the clone's own dist", () => {
    // npm chmods a bin on install, not after a rebuild; tsc writes each file 0644.
    const bins = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).bin as Record<string, string>;
    expect(Object.keys(bins)).toEqual(['twenty-gcp-review']);
    const cli = join(ROOT, bins['twenty-gcp-review']);
    expect((statSync(cli).mode & 0o111).toString(8)).toBe('111');
    expect(readFileSync(cli, 'utf8').split('\n')[0]).toBe('#!/usr/bin/env node');
  });

  test('a fresh consumer installs it, type-checks examples/minimal against it and synthesizes a production environment', () => {
    const consumer = join(work, 'consumer');
    mkdirSync(consumer);
    writeFileSync(
      join(consumer, 'package.json'),
      JSON.stringify({ name: 'consumer', version: '1.0.0', private: true }),
    );
    run('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', tarball, ...PEERS], consumer);
    writeFileSync(join(consumer, 'main.ts'), consumerSource());
    const tsc = join(ROOT, 'node_modules/typescript/bin/tsc');
    run(
      process.execPath,
      [tsc, '--strict', '--esModuleInterop', '--skipLibCheck', '--target', 'es2022', '--module', 'commonjs', 'main.ts'],
      consumer,
    );
    const outdir = join(consumer, 'cdktf.out');
    const stdout = run(process.execPath, ['main.js'], consumer, { ...process.env, CDKTF_OUTDIR: outdir });
    // The synth summary: counts, URL, next steps.
    expect(stdout).toMatch(/^twenty-prod: \d+ resources: /);
    expect(stdout).toContain('https://crm.acme.example through HTTPS load balancer for crm.acme.example');
    const file = join(outdir, 'stacks/twenty-prod/cdk.tf.json');
    expect(existsSync(file)).toBe(true);
    const json = JSON.parse(readFileSync(file, 'utf8'));
    const service = Object.values(json.resource.google_cloud_run_v2_service)[0] as {
      location: string;
      template: { containers: { image: string }[] };
    };
    expect(service.location).toBe('europe-west1');
    // Through the Docker Hub mirror the package creates in the consumer's region.
    expect(service.template.containers[0].image).toBe(
      'europe-west1-docker.pkg.dev/acme-crm-prod/twenty-prod-dockerhub/twentycrm/twenty:v2.45.0',
    );
    expect(Object.values(json.resource.google_artifact_registry_repository)).toEqual([
      expect.objectContaining({ mode: 'REMOTE_REPOSITORY', location: 'europe-west1' }),
    ]);
    // Production from the minimal config: REGIONAL, protected, remote state.
    const instance = Object.values(json.resource.google_sql_database_instance)[0] as {
      deletion_protection: boolean;
      settings: { availability_type: string };
    };
    expect(instance).toMatchObject({ deletion_protection: true, settings: { availability_type: 'REGIONAL' } });
    expect(json.terraform.backend.gcs).toEqual({ bucket: 'acme-crm-tfstate', prefix: 'twenty/prod' });
    // Monitoring is on by default in production, and every alert notifies the minimal config's channel.
    const channels = Object.values(json.resource.google_monitoring_notification_channel) as { labels: object }[];
    expect(channels.map((c) => c.labels)).toEqual([{ email_address: 'oncall@acme.example' }]);
    const policies = Object.values(json.resource.google_monitoring_alert_policy) as {
      notification_channels: string[];
    }[];
    expect(policies).toHaveLength(14);
    for (const p of policies) expect(p.notification_channels).toHaveLength(1);
    expect(Object.keys(json.resource.google_monitoring_uptime_check_config)).toHaveLength(1);
    const secret = JSON.stringify(json.resource.google_secret_manager_secret_version);
    expect(secret).toContain('@/twenty?host=/cloudsql/${google_sql_database_instance.');
    // The review command ships as a bin, and compares two synthesized folders.
    const review = join(consumer, 'node_modules/.bin/twenty-gcp-review');
    expect(run(review, ['--help'], consumer)).toContain('Usage: twenty-gcp-review <base-ref> [options]');
    expect(run(review, ['--from', outdir, '--to', outdir], consumer)).toContain('twenty-prod');

    // The review API is its own subpath export, not part of the construct entry point.
    writeFileSync(
      join(consumer, 'review.ts'),
      [
        "import { countFlags, loadOutdir, renderMarkdown, reviewApps } from 'cdktf-twenty-gcp/review';",
        "import * as constructs from 'cdktf-twenty-gcp';",
        'declare const process: { argv: string[] };',
        'const stacks = reviewApps(loadOutdir(process.argv[2]), loadOutdir(process.argv[2]));',
        "console.log(JSON.stringify({ flags: countFlags(stacks), inRoot: 'reviewApps' in constructs, md: renderMarkdown(stacks, { fromLabel: 'a', toLabel: 'b', allowDestroy: false }) }));",
      ].join('\n'),
    );
    run(
      process.execPath,
      [
        tsc,
        '--strict',
        '--esModuleInterop',
        '--skipLibCheck',
        '--target',
        'es2022',
        '--module',
        'commonjs',
        'review.ts',
      ],
      consumer,
    );
    const reviewed = JSON.parse(run(process.execPath, ['review.js', outdir], consumer));
    expect(reviewed).toMatchObject({ flags: 0, inRoot: false });
    expect(reviewed.md).toContain('No destroyed, replaced or unprotected stateful resources.');

    // The job is built from the image contract the package ships; a pin newer than the newest
    // recorded line still synthesizes, and synthApp prints its warning once, to stderr.
    const job = Object.values(json.resource.google_cloud_run_v2_job)[0] as {
      template: { template: { containers: { args: string[] }[] } };
    };
    expect(job.template.template.containers[0].args[0]).toContain('contract v2.45');
    writeFileSync(
      join(consumer, 'newer.js'),
      readFileSync(join(consumer, 'main.js'), 'utf8').replace(/v2\.45\.0/g, 'v2.99.0'),
    );
    const newer = spawnSync(process.execPath, ['newer.js'], {
      cwd: consumer,
      encoding: 'utf8',
      env: { ...process.env, CDKTF_OUTDIR: join(consumer, 'cdktf.newer') },
    });
    expect(newer.status).toBe(0);
    const warning =
      '    - Twenty v2.99.0 is newer than v2.45.0, the newest release whose image contract this library recorded';
    expect(newer.stderr.split('\n').filter((l) => l.startsWith(warning))).toHaveLength(1);
    expect(newer.stderr).toContain('  TwentyBackendService twenty-prod/server\n');
  }, 180_000);

  test("the README's first example, with the README's New project tsconfig, compiles against it and prints what the README says", () => {
    const consumer = join(work, 'consumer');
    if (!existsSync(join(consumer, 'node_modules/cdktf-twenty-gcp')))
      throw new Error('needs the consumer the test above installs');
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    const example = /^```ts\n([\s\S]*?)^```/m.exec(readme)?.[1];
    const tsconfig = /^echo '(\{ "compilerOptions".*\})' > tsconfig\.json$/m.exec(readme)?.[1];
    expect(example).toContain("from 'cdktf-twenty-gcp'");
    expect(tsconfig).toBeDefined();
    const dir = join(consumer, 'readme');
    mkdirSync(dir);
    writeFileSync(join(dir, 'main.ts'), example!);
    writeFileSync(join(dir, 'tsconfig.json'), tsconfig!);
    run(process.execPath, [join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.json'], dir);
    const synth = spawnSync(process.execPath, ['main.js'], {
      cwd: dir,
      encoding: 'utf8',
      env: { ...process.env, CDKTF_OUTDIR: join(dir, 'cdktf.out') },
    });
    expect(synth.status).toBe(0);
    expect(synth.stdout).toMatch(/^twenty-prod: \d+ resources: /);
    // "The example's first synth prints 4 warnings and writes the stack: 3 PROD-IMAGE-DIGEST ... and one for dbPoolSize".
    expect(readme).toContain("The example's first synth prints 4 warnings");
    expect(synth.stderr.split('\n')[0]).toBe('4 warnings:');
    expect(synth.stderr.match(/\[PROD-IMAGE-DIGEST\]/g)).toHaveLength(3);
    expect(synth.stderr).toContain('dbPoolSize is not set: using 4');
    expect(existsSync(join(dir, 'cdktf.out/stacks/twenty-prod/cdk.tf.json'))).toBe(true);
  }, 60_000);
});
