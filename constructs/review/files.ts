/** Reading the JSON a review is given: regular files only, up to a size cap, errors that name the file. */
import { closeSync, constants, fstatSync, openSync, readSync, Stats } from 'fs';
import { Json } from '../core/json';

/** Larger than any synthesized stack or plan of this library (a few MB); a bigger file is refused, not read. */
export const MAX_JSON_BYTES = 256 * 1024 * 1024;

/**
 * Parses the JSON file at `file`. A FIFO, device or directory is refused without reading from it
 * (opened non-blocking, so a FIFO with no writer cannot hang the review), and so is a file
 * larger than `maxBytes`.
 */
export function readJsonFile(file: string, maxBytes = MAX_JSON_BYTES): Json {
  let fd: number;
  try {
    fd = openSync(file, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new Error(`cannot read ${file}: ${code === 'ENOENT' ? 'no such file' : (code ?? (e as Error).message)}`, {
      cause: e,
    });
  }
  let text: string;
  try {
    const stat = fstatSync(fd);
    if (!stat.isFile()) throw new Error(`${file} is not a regular file (${kindOf(stat)}); give a JSON file`);
    if (stat.size > maxBytes)
      throw new Error(`${file} is ${stat.size} bytes, more than the ${maxBytes} a review reads; is it the right file?`);
    // Read at most maxBytes + 1 even if the file grows meanwhile.
    const buffer = Buffer.alloc(Math.min(stat.size, maxBytes) + 1);
    let length = 0;
    for (let n; length < buffer.length && (n = readSync(fd, buffer, length, buffer.length - length, null)) > 0;)
      length += n;
    if (length > maxBytes) throw new Error(`${file} grew past ${maxBytes} bytes while being read`);
    text = buffer.subarray(0, length).toString('utf8');
  } finally {
    closeSync(fd);
  }
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new Error(`${file} is not valid JSON: ${(e as Error).message}`, { cause: e });
  }
}

function kindOf(stat: Stats): string {
  if (stat.isFIFO()) return 'a FIFO';
  if (stat.isCharacterDevice()) return 'a character device';
  if (stat.isBlockDevice()) return 'a block device';
  if (stat.isDirectory()) return 'a directory';
  if (stat.isSocket()) return 'a socket';
  return 'not a file';
}
