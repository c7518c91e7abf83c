// The two programs a differential test compares.
import { fileURLToPath } from 'node:url';

export interface Binary {
  readonly name: string;
  readonly command: string;
  readonly args: readonly string[];
}

export const LOGROTATE: Binary = { name: 'logrotate', command: '/usr/sbin/logrotate', args: [] };

/** The compiled CLI; this file runs from dist/test/helpers/. */
export const LOGROTOR_CLI = fileURLToPath(new URL('../../src/cli/main.js', import.meta.url));

export const LOGROTOR: Binary = { name: 'logrotor', command: process.execPath, args: [LOGROTOR_CLI] };
