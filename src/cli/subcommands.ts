// Subcommands beside the default rotation command. Each lives in its own module and is
// registered here with one line. A module must keep heavy imports inside its action
// (`await import(...)`) so that plain `logrotor --version` stays fast.
import { register as daemon } from '../daemon/command.js';
import { register as exportLogs } from '../export/command.js';
import { register as install } from '../install/command.js';
import { register as journal } from '../journal/command.js';
import { register as status } from '../status/command.js';
import { register as watch } from '../watch/command.js';
import type { RegisterSubcommand } from './subcommand.js';

export const SUBCOMMANDS: readonly RegisterSubcommand[] = [daemon, watch, exportLogs, install, journal, status];
