import { createHash, randomUUID } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { dirname, join } from 'node:path';
import { systemClock, type Clock } from '../functions/clock.js';
import { escapeXml, sendXml } from './aws-xml.js';
import { closeServer, guard, listen, readBody, type ListenOptions } from './http-kit.js';

/**
 * Amazon S3's REST API, path-style (`/<bucket>/<key>`), for the calls the Security Lake delivery and its
 * tests make: PutObject, GetObject, ListObjectsV2. Objects are kept in memory, and written under
 * `outputDir/<bucket>/<key>` when one is given. `authorize` decides from the signing access key id who
 * may write, as the bucket policy Security Lake writes lets only the provider role put objects.
 */

export interface S3EmulatorOptions extends ListenOptions {
  buckets: readonly string[];
  /** Also write each object to `<outputDir>/<bucket>/<key>`. */
  outputDir?: string;
  /** Whether the access key that signed a write may put `key` in `bucket`. @default any key may */
  authorizeWrite?: (accessKeyId: string, bucket: string, key: string) => boolean;
  /** Dates of objects. @default systemClock */
  clock?: Clock;
}

export interface StoredObject {
  readonly key: string;
  readonly body: Buffer;
  readonly lastModified: Date;
  readonly etag: string;
}

export interface S3Emulator {
  url: string;
  /** Calls per operation, and writes refused by `authorizeWrite`. */
  readonly stats: { calls: Record<string, number>; refused: number };
  /** The objects of a bucket, by key order. */
  objects(bucket: string): StoredObject[];
  close(): Promise<void>;
}

// Security Lake objects of a page are a few MiB at most; the bound keeps a bad client from filling memory.
const MAX_OBJECT_BYTES = 64 * 1024 * 1024;
const MAX_KEYS = 1000;

export async function startS3Emulator(options: S3EmulatorOptions): Promise<S3Emulator> {
  const clock = options.clock ?? systemClock;
  const buckets = new Map(options.buckets.map((name) => [name, new Map<string, StoredObject>()]));
  const stats = { calls: {} as Record<string, number>, refused: 0 };
  const count = (operation: string) => {
    stats.calls[operation] = (stats.calls[operation] ?? 0) + 1;
  };

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const [bucketName = '', ...keyParts] = url.pathname.slice(1).split('/');
    const bucket = buckets.get(decodeURIComponent(bucketName));
    const key = keyParts.map((part) => decodeURIComponent(part)).join('/');
    if (!bucket) return sendError(res, 404, 'NoSuchBucket', `The specified bucket does not exist: ${bucketName}`);
    if (req.method === 'PUT' && key !== '') {
      count('PutObject');
      if ((req.headers['content-encoding'] ?? '').includes('aws-chunked'))
        return sendError(res, 501, 'NotImplemented', 'aws-chunked bodies are not emulated');
      const accessKeyId = /Credential=([^/,\s]+)/.exec(req.headers.authorization ?? '')?.[1] ?? '';
      if (options.authorizeWrite && !options.authorizeWrite(accessKeyId, decodeURIComponent(bucketName), key)) {
        req.resume();
        stats.refused++;
        return sendError(res, 403, 'AccessDenied', 'Access Denied');
      }
      const body = await readBody(req, MAX_OBJECT_BYTES);
      const etag = `"${createHash('md5').update(body).digest('hex')}"`;
      bucket.set(key, { key, body, lastModified: new Date(clock.now()), etag });
      if (options.outputDir) {
        const file = join(options.outputDir, decodeURIComponent(bucketName), ...key.split('/'));
        await mkdir(dirname(file), { recursive: true });
        await writeFile(file, body);
      }
      res.writeHead(200, { ETag: etag, 'Content-Length': '0' });
      return void res.end();
    }
    if (req.method === 'GET' && key !== '') {
      count('GetObject');
      const object = bucket.get(key);
      if (!object) return sendError(res, 404, 'NoSuchKey', 'The specified key does not exist.');
      res.writeHead(200, {
        ETag: object.etag,
        'Last-Modified': object.lastModified.toUTCString(),
        'Content-Type': 'application/octet-stream',
        'Content-Length': String(object.body.length),
      });
      return void res.end(object.body);
    }
    if (req.method === 'GET' && url.searchParams.get('list-type') === '2') {
      count('ListObjectsV2');
      return sendXml(res, 200, listing(decodeURIComponent(bucketName), bucket, url.searchParams));
    }
    return sendError(res, 501, 'NotImplemented', `${req.method} ${url.pathname} is not emulated`);
  };

  const server = createServer(guard(handle));
  const url = await listen(server, options);
  return {
    url,
    stats,
    objects: (name) => [...(buckets.get(name)?.values() ?? [])].sort((a, b) => (a.key < b.key ? -1 : 1)),
    close: () => closeServer(server),
  };
}

/** A ListObjectsV2 answer: keys after the continuation token (the last key of the page before), in order. */
function listing(name: string, bucket: Map<string, StoredObject>, query: URLSearchParams): string {
  const prefix = query.get('prefix') ?? '';
  const after = query.get('continuation-token') ?? query.get('start-after') ?? '';
  const maxKeys = Math.min(MAX_KEYS, Number(query.get('max-keys') ?? MAX_KEYS) || MAX_KEYS);
  const keys = [...bucket.keys()].filter((key) => key.startsWith(prefix) && key > after).sort();
  const page = keys.slice(0, maxKeys);
  const truncated = keys.length > page.length;
  const contents = page
    .map((key) => {
      const object = bucket.get(key) as StoredObject;
      return `<Contents><Key>${escapeXml(key)}</Key><LastModified>${object.lastModified.toISOString()}</LastModified><ETag>${escapeXml(object.etag)}</ETag><Size>${object.body.length}</Size><StorageClass>STANDARD</StorageClass></Contents>`;
    })
    .join('');
  const next = truncated ? `<NextContinuationToken>${escapeXml(page[page.length - 1] as string)}</NextContinuationToken>` : '';
  return (
    `<ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Name>${escapeXml(name)}</Name><Prefix>${escapeXml(prefix)}</Prefix>` +
    `<KeyCount>${page.length}</KeyCount><MaxKeys>${maxKeys}</MaxKeys><IsTruncated>${truncated}</IsTruncated>${contents}${next}</ListBucketResult>`
  );
}

function sendError(res: ServerResponse, status: number, code: string, message: string): void {
  sendXml(res, status, `<Error><Code>${code}</Code><Message>${escapeXml(message)}</Message><RequestId>${randomUUID()}</RequestId></Error>`);
}
