/**
 * Uploads through Cloud Storage's S3 API: the real @aws-sdk/client-s3 at the version Twenty's
 * yarn.lock pins (3.825.0, twentyhq/twenty yarn.lock @ e6f81768 and @ 001a2afb), configured as
 * Twenty's S3 driver configures it, run in a child process whose env is the env our constructs
 * give every Twenty process, against a local HTTP server that records each request.
 * Negative control: the same env without the two AWS_* switches shows the checksum behaviour
 * that S3-compatible services (Cloud Storage among them) have been reported to reject.
 */
import { spawn } from 'child_process';
import { readFileSync } from 'fs';
import { createServer, IncomingHttpHeaders, Server } from 'http';
import { AddressInfo } from 'net';
import { join } from 'path';
import { ENVIRONMENTS } from '../../examples/environments/environments';
import { Json, onlyResource, resourcesOfType, synthEnv } from '../support/synth';

interface Recorded {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

const SWITCHES = ['AWS_REQUEST_CHECKSUM_CALCULATION', 'AWS_RESPONSE_CHECKSUM_VALIDATION'];
const CLIENT = join(__dirname, '../support/twenty-s3-client.js');

function recorder(): Promise<{ server: Server; endpoint: string; requests: Recorded[] }> {
  const requests: Recorded[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      requests.push({ method: req.method!, url: req.url!, headers: req.headers, body: Buffer.concat(chunks) });
      if (req.method === 'PUT') {
        res.writeHead(200, { ETag: '"5d41402abc4b2a76b9719d911017c592"' }).end();
      } else if (req.method === 'GET') {
        res
          .writeHead(200, {
            'Content-Type': 'text/plain',
            'Content-Length': '5',
            ETag: '"5d41402abc4b2a76b9719d911017c592"',
          })
          .end('hello');
      } else if (req.method === 'POST' && req.url!.includes('delete')) {
        res
          .writeHead(200, { 'Content-Type': 'application/xml' })
          .end(
            '<?xml version="1.0" encoding="UTF-8"?><DeleteResult><Deleted><Key>workspace/a.txt</Key></Deleted></DeleteResult>',
          );
      } else {
        res.writeHead(400).end();
      }
    });
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () =>
      resolve({ server, endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, requests }),
    ),
  );
}

/** Runs the client with exactly `env` (no inherited AWS settings or shared config files). */
async function runClient(env: Record<string, string>): Promise<Recorded[]> {
  const { server, endpoint, requests } = await recorder();
  try {
    const child = spawn(process.execPath, [CLIENT], {
      env: {
        PATH: process.env.PATH ?? '',
        NODE_PATH: join(__dirname, '../../node_modules'),
        AWS_CONFIG_FILE: '/nonexistent/aws-config',
        AWS_SHARED_CREDENTIALS_FILE: '/nonexistent/aws-credentials',
        ...env,
        TEST_S3_ENDPOINT: endpoint,
      },
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    expect({ code, err }).toEqual({ code: 0, err: '' });
    expect(out).toBe('get:hello\n');
    return requests;
  } finally {
    server.close();
  }
}

/** The plain env of a Cloud Run container, with stand-ins where the JSON holds a reference. */
function processEnv(list: Json[]): Record<string, string> {
  const env: Record<string, string> = {};
  for (const e of list) {
    if (typeof e.value === 'string' && !e.value.includes('${')) env[e.name] = e.value;
  }
  // References resolved by Terraform or Secret Manager at deploy time.
  env.STORAGE_S3_NAME = 'acme-twenty-files';
  env.STORAGE_S3_ACCESS_KEY_ID = 'GOOG1EXAMPLEACCESSID';
  env.STORAGE_S3_SECRET_ACCESS_KEY = 'example-hmac-secret-not-real';
  return env;
}

const checksumHeaders = (h: IncomingHttpHeaders) =>
  Object.keys(h)
    .filter((k) => k.startsWith('x-amz-checksum-'))
    .sort();
const byKey = (rs: Recorded[], method: string, key: string) =>
  rs.find((r) => r.method === method && r.url.includes(key))!;

test("the pinned SDK is the version Twenty's lockfile pins", () => {
  const pkg = JSON.parse(readFileSync(join(__dirname, '../../node_modules/aws-sdk-s3-twenty/package.json'), 'utf8'));
  expect({ name: pkg.name, version: pkg.version }).toEqual({ name: '@aws-sdk/client-s3', version: '3.825.0' });
});

describe.each(ENVIRONMENTS.map((e) => [e.name, e] as const))('environment %s', (_name, envConfig) => {
  let json: Json;
  let lists: Record<string, Json[]>;
  beforeAll(() => {
    json = synthEnv(envConfig);
    lists = {
      server: onlyResource(json, 'google_cloud_run_v2_service').template.containers[0].env,
      job: onlyResource(json, 'google_cloud_run_v2_job').template.template.containers[0].env,
      ...Object.fromEntries(
        resourcesOfType(json, 'google_cloud_run_v2_worker_pool').map((w) => ['worker', w.template.containers[0].env]),
      ),
    };
  });

  test('every Twenty process gets both switches, with WHEN_REQUIRED', () => {
    expect(Object.keys(lists).sort()).toEqual(['job', 'server', 'worker']);
    for (const [proc, list] of Object.entries(lists)) {
      const values = Object.fromEntries(SWITCHES.map((n) => [n, list.find((e: Json) => e.name === n)?.value]));
      expect({ proc, values }).toEqual({
        proc,
        values: {
          AWS_REQUEST_CHECKSUM_CALCULATION: 'WHEN_REQUIRED',
          AWS_RESPONSE_CHECKSUM_VALIDATION: 'WHEN_REQUIRED',
        },
      });
    }
  });

  test('with the synthesized env: plain bodies, no optional checksums; without the switches: checksums and aws-chunked', async () => {
    const env = processEnv(lists.server);
    expect(env.STORAGE_TYPE).toBe('s3');
    expect(env.STORAGE_S3_REGION).toBe(envConfig.region);
    const withSwitches = await runClient(env);
    const withoutEnv = { ...env };
    for (const n of SWITCHES) delete withoutEnv[n];
    const without = await runClient(withoutEnv);

    // Path-style, as Twenty's forcePathStyle asks.
    expect(withSwitches.map((r) => `${r.method} ${r.url}`)).toEqual([
      'PUT /acme-twenty-files/workspace/a.txt?x-id=PutObject',
      'PUT /acme-twenty-files/workspace/b.txt?x-id=PutObject',
      'GET /acme-twenty-files/workspace/a.txt?x-id=GetObject',
      'POST /acme-twenty-files/?delete=',
    ]);
    expect(without.map((r) => `${r.method} ${r.url}`)).toEqual(withSwitches.map((r) => `${r.method} ${r.url}`));

    // PutObject with a Buffer body.
    const putOn = byKey(withSwitches, 'PUT', 'a.txt');
    const putOff = byKey(without, 'PUT', 'a.txt');
    expect(checksumHeaders(putOn.headers)).toEqual([]);
    expect(putOn.headers['x-amz-sdk-checksum-algorithm']).toBeUndefined();
    expect(putOn.body.toString()).toBe('hello');
    expect(checksumHeaders(putOff.headers)).toEqual(['x-amz-checksum-crc32']);
    expect(putOff.headers['x-amz-sdk-checksum-algorithm']).toBe('CRC32');

    // PutObject with a stream: aws-chunked with a trailing checksum unless switched off.
    const streamOn = byKey(withSwitches, 'PUT', 'b.txt');
    const streamOff = byKey(without, 'PUT', 'b.txt');
    expect(streamOn.headers['content-encoding']).toBeUndefined();
    expect(streamOn.headers['x-amz-trailer']).toBeUndefined();
    expect(streamOn.headers['x-amz-content-sha256']).not.toMatch(/^STREAMING-/);
    expect(streamOn.body.toString()).toBe('hello');
    expect(streamOff.headers['content-encoding']).toBe('aws-chunked');
    expect(streamOff.headers['x-amz-content-sha256']).toBe('STREAMING-UNSIGNED-PAYLOAD-TRAILER');
    expect(streamOff.headers['x-amz-trailer']).toBe('x-amz-checksum-crc32');
    expect(streamOff.headers['x-amz-decoded-content-length']).toBe('5');
    expect(streamOff.body.toString()).toMatch(/^5\r\nhello\r\n0\r\nx-amz-checksum-crc32:[A-Za-z0-9+/=]+\r\n\r\n$/);

    // GetObject: response checksum validation asked for only without the switch.
    expect(byKey(withSwitches, 'GET', 'a.txt').headers['x-amz-checksum-mode']).toBeUndefined();
    expect(byKey(without, 'GET', 'a.txt').headers['x-amz-checksum-mode']).toBe('ENABLED');

    // DeleteObjects requires a checksum in this SDK either way: CRC32, and no Content-MD5.
    // Whether Cloud Storage accepts it is not verified here (README "Files").
    for (const rs of [withSwitches, without]) {
      const del = byKey(rs, 'POST', 'delete');
      expect(checksumHeaders(del.headers)).toEqual(['x-amz-checksum-crc32']);
      expect(del.headers['content-md5']).toBeUndefined();
      expect(del.headers['content-encoding']).toBeUndefined();
      expect(del.body.toString()).toMatch(
        /^<\?xml version="1.0" encoding="UTF-8"\?><Delete xmlns="http:\/\/s3.amazonaws.com\/doc\/2006-03-01\/">/,
      );
    }
  });
});
