// Fixed texts, laid out like popt's and logrotate's so scripts that scrape them keep working.
// Only the program name differs from logrotate.
import { BUILD_DEFAULTS } from '../config/defaults.js';
import { packageVersion } from './version.js';

export const PROGRAM = 'logrotor';

export function usageText(): string {
  return [
    `Usage: ${PROGRAM} [-dfv?] [-d|--debug] [-f|--force] [-m|--mail=command]`,
    '        [-s|--state=statefile] [--skip-state-lock] [--wait-for-state-lock]',
    '        [-v|--verbose] [-l|--log=logfile] [--version] [-?|--help] [--usage]',
    '        [--json] [OPTION...] <configfile>',
    '',
  ].join('\n');
}

export function helpText(): string {
  return [
    `Usage: ${PROGRAM} [OPTION...] <configfile>`,
    "  -d, --debug                   Don't do anything, just test and print debug",
    '                                messages',
    '  -f, --force                   Force file rotation',
    '  -m, --mail=command            Command to send mail (instead of',
    `                                \`${BUILD_DEFAULTS.mailCommand}')`,
    '  -s, --state=statefile         Path of state file',
    '      --skip-state-lock         Do not lock the state file',
    '      --wait-for-state-lock     Wait for lock on the state file',
    '  -v, --verbose                 Display messages during rotation',
    "  -l, --log=logfile             Log file or 'syslog' to log to syslog",
    '      --json                    Print the plan (-d) or what was done as JSON',
    '      --version                 Display version information',
    '',
    'Help options:',
    '  -?, --help                    Show this help message',
    '      --usage                   Display brief usage message',
    '',
  ].join('\n');
}

/** The one-line description of each subcommand: its `--help` and the list in ours. */
export const SUBCOMMAND_SUMMARIES = {
  daemon: 'run rotations on a schedule in the foreground until SIGTERM',
  watch: 'rotate logs as soon as they exceed their size or maxsize, until SIGTERM',
  export: 'write every managed log, live and rotated, into one tar.gz',
  journal: 'show the most recent actions of the rotation journal (<statefile>.journal)',
  status: "show each log's size, last and next rotation, whether it is due, and failures",
  install: 'install the cron job or systemd units that run logrotor daily',
  uninstall: 'remove what install put in place',
} as const;

/** What logrotor adds to logrotate's help: its own option and the subcommands. */
function additionsText(): string {
  const names = Object.keys(SUBCOMMAND_SUMMARIES);
  const width = Math.max(...names.map((name) => name.length)) + 2;
  return [
    `${PROGRAM}'s own options:`,
    '      --metrics-file=PATH       Write Prometheus metrics at the end of the run',
    "                                (node_exporter's textfile format)",
    '',
    `Subcommands (${PROGRAM} SUBCOMMAND --help for their options):`,
    ...Object.entries(SUBCOMMAND_SUMMARIES).map(([name, summary]) => `  ${name.padEnd(width)}${summary}`),
    '',
  ].join('\n');
}

export function versionText(version: string): string {
  const rows: [string, string][] = [
    ['Default mail command:', BUILD_DEFAULTS.mailCommand],
    ['Default compress command:', BUILD_DEFAULTS.compressCmd],
    ['Default uncompress command:', BUILD_DEFAULTS.uncompressCmd],
    ['Default compress extension:', BUILD_DEFAULTS.compressExt],
    ['Default state file path:', BUILD_DEFAULTS.statePath],
    // ACLs are copied through getfacl/setfacl; there is no SELinux integration.
    ['ACL support:', 'yes'],
    ['SELinux support:', 'no'],
  ];
  return [`${PROGRAM} ${version}`, '', ...rows.map(([k, v]) => `    ${k.padEnd(28)}${v}`), ''].join('\n');
}

/** What a run without any config file prints (to stderr) before the usage text. */
export function bannerText(version: string): string {
  return (
    `${PROGRAM} ${version} - Copyright (C) 1995-2001 Red Hat, Inc.\n` +
    'This may be freely redistributed under the terms of the GNU General Public License\n\n'
  );
}

export const DEBUG_MODE_WARNING =
  'logrotate in debug mode does nothing except printing debug messages!  ' +
  'Consider using verbose mode (-v) instead if this is not what you want.';

/** The text of an option popt answers at once with exit 0, by the flag as typed. */
export function earlyText(flag: string | undefined): string | undefined {
  switch (flag) {
    case '--version':
      return versionText(packageVersion());
    case '--help':
    case '-?':
      return `${helpText()}\n${additionsText()}`;
    case '--usage':
      return usageText();
    default:
      return undefined;
  }
}
