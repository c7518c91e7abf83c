// `status` output: an aligned table (colored on a terminal unless NO_COLOR is set), or
// one JSON array. Pure.
import type { StatusRow } from './rows.js';
import { humanSize, stamp } from './words.js';

const HEADERS = ['LOG', 'SIZE', 'LAST ROTATION', 'NEXT ROTATION', 'NOW', 'ROTATIONS', 'LAST FAILURE'] as const;

type Paint = 'bold' | 'red' | 'yellow' | 'green' | null;

const SGR: Readonly<Record<Exclude<Paint, null>, string>> = { bold: '1', red: '31', yellow: '33', green: '32' };

interface Cell {
  readonly text: string;
  readonly paint: Paint;
}

/** The rows as JSON: dates in ISO 8601 (UTC), sizes in bytes. */
export function renderJson(rows: readonly StatusRow[]): string {
  return `${JSON.stringify(rows, null, 2)}\n`;
}

export function renderTable(rows: readonly StatusRow[], color: boolean): string {
  const lines: Cell[][] = [HEADERS.map((text) => ({ text, paint: 'bold' })), ...rows.map(cells)];
  const widths = HEADERS.map((_, column) => Math.max(...lines.map((line) => line[column]?.text.length ?? 0)));
  const last = HEADERS.length - 1;
  return lines
    .map((line) =>
      line
        .map((cell, column) => {
          const text = column === last ? cell.text : cell.text.padEnd(widths[column] ?? 0);
          return color && cell.paint !== null ? `\x1b[${SGR[cell.paint]}m${text}\x1b[0m` : text;
        })
        .join('  ')
        .trimEnd(),
    )
    .map((line) => `${line}\n`)
    .join('');
}

function cells(row: StatusRow): Cell[] {
  const plain = (text: string): Cell => ({ text, paint: null });
  const failure = row.lastFailure;
  return [
    plain(row.log),
    plain(row.size === null ? '-' : humanSize(row.size)),
    plain(row.lastRotation === null ? 'never' : stamp(row.lastRotation)),
    plain(row.next.text),
    { text: row.verdict.text, paint: verdictPaint(row) },
    plain(row.rotations.count === 0 ? '0' : `${row.rotations.count}, ${humanSize(row.rotations.bytes)}`),
    failure === null ? plain('-') : { text: `${stamp(failure.at)} ${failure.what}`, paint: failure.lastAttempt ? 'red' : null },
  ];
}

function verdictPaint(row: StatusRow): Paint {
  if (row.failsNow) return 'red';
  if (row.verdict.kind === 'due' || row.verdict.kind === 'refused') return 'yellow';
  return row.verdict.kind === 'not-due' ? 'green' : null;
}
