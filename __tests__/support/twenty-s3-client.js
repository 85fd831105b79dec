// Runs in its own process with the env a Twenty container gets. Builds the S3 client the way
// Twenty's file-storage-driver.factory.ts (@ a754c482) and s3.driver.ts (@ 361d3848) do:
// static credentials (the HMAC key), forcePathStyle, STORAGE_S3_REGION, the endpoint; the test
// points the endpoint at its local recorder instead of https://storage.googleapis.com.
const { Readable } = require('stream');
const { S3, PutObjectCommand, GetObjectCommand, DeleteObjectsCommand } = require('aws-sdk-s3-twenty');

async function main() {
  const s3 = new S3({
    credentials: {
      accessKeyId: process.env.STORAGE_S3_ACCESS_KEY_ID,
      secretAccessKey: process.env.STORAGE_S3_SECRET_ACCESS_KEY,
    },
    endpoint: process.env.TEST_S3_ENDPOINT,
    forcePathStyle: true,
    region: process.env.STORAGE_S3_REGION,
  });
  const Bucket = process.env.STORAGE_S3_NAME;
  // S3Driver.write: a Buffer body.
  await s3.send(
    new PutObjectCommand({ Bucket, Key: 'workspace/a.txt', Body: Buffer.from('hello'), ContentType: 'text/plain' }),
  );
  // A streamed upload (Readable body), as a driver writing a stream sends it.
  await s3.send(
    new PutObjectCommand({
      Bucket,
      Key: 'workspace/b.txt',
      Body: Readable.from([Buffer.from('hello')]),
      ContentLength: 5,
      ContentType: 'text/plain',
    }),
  );
  const got = await s3.send(new GetObjectCommand({ Bucket, Key: 'workspace/a.txt' }));
  process.stdout.write(`get:${await got.Body.transformToString()}\n`);
  // S3Driver.emptyS3Directory: DeleteObjects.
  await s3.send(
    new DeleteObjectsCommand({ Bucket, Delete: { Objects: [{ Key: 'workspace/a.txt' }, { Key: 'workspace/b.txt' }] } }),
  );
}

main().catch((e) => {
  process.stderr.write(`${e.name}: ${e.message}\n`);
  process.exit(1);
});
