// Uploads one file through the transport, in a process of its own so that a test can kill
// it mid-upload. Usage: node upload-one.js FILE NAME URL
import { openTransport } from '../../src/archive/open.js';
import { parseArchiveUrl } from '../../src/archive/target.js';

const [file = '', name = '', url = ''] = process.argv.slice(2);
const target = parseArchiveUrl(url);
if (!target.ok) throw new Error(target.error);
const transport = await openTransport(target.value);
const result = await transport.upload(file, name);
transport.close();
process.stdout.write(`${JSON.stringify(result)}\n`);
