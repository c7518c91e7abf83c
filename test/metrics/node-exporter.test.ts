// One-shot runs with --metrics-file, read by a real node_exporter's textfile collector.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { LOGROTOR_CLI } from '../helpers/binaries.js';
import { startNodeExporter, type NodeExporter } from '../servers/node-exporter.js';
import { scene, sizes } from './fixture.js';

function rotate(args: readonly string[]): { status: number | null; stderr: string } {
  const r = spawnSync(process.execPath, [LOGROTOR_CLI, ...args], { encoding: 'utf8', timeout: 60_000 });
  return { status: r.status, stderr: r.stderr };
}

/** Sample lines of an exposition, by `name{labels}`. */
function samples(text: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const space = line.lastIndexOf(' ');
    out.set(line.slice(0, space), Number(line.slice(space + 1)));
  }
  return out;
}

test('node_exporter serves what --metrics-file wrote, run after run; promtool accepts the file', { timeout: 120_000 }, async (t) => {
  const s = scene('lrnodeexp-');
  const textfiles = join(s.base, 'textfile');
  mkdirSync(textfiles);
  const file = join(textfiles, 'logrotor.prom');
  let exporter: NodeExporter | undefined;
  try {
    const first = rotate(['-s', s.state, '--metrics-file', file, s.conf]);
    assert.equal(first.status, 1);
    assert.equal(first.stderr, `error: failed to compress log ${s.bad}.1: child did not exit with status 0\n`);
    assert.deepEqual(readdirSync(textfiles), ['logrotor.prom'], 'only the file: no temporary left');
    const checked = spawnSync('/usr/bin/promtool', ['check', 'metrics'], { input: readFileSync(file), encoding: 'utf8' });
    assert.deepEqual({ status: checked.status, out: checked.stdout + checked.stderr }, { status: 0, out: '' });

    exporter = await startNodeExporter({ dir: s.base, textfileDir: textfiles });
    const scraped = samples(await exporter.scrape());
    const expect = (key: string, value: number): void => assert.equal(scraped.get(key), value, key);
    expect('node_textfile_scrape_error', 0);
    expect('logrotor_last_run_success', 0);
    expect('logrotor_runs_total{result="failure"}', 1);
    expect(`logrotor_log_rotations_total{log="${s.good}"}`, 1);
    expect(`logrotor_log_failures_total{log="${s.bad}"}`, 1);
    expect('logrotor_removed_files_total{reason="rotate"}', 1);
    expect('logrotor_compressed_bytes_total', sizes(`${s.good}.1.gz`));
    expect(`logrotor_log_rotated_bytes{log="${s.good}"}`, sizes(`${s.good}.1.gz`, `${s.good}.2.gz`));
    assert.ok((scraped.get(`node_textfile_mtime_seconds{file="${file}"}`) ?? 0) > 0);

    await t.test('a failing rotation\'s removal before its failure is counted', () => {
      expect('logrotor_removed_files_total{reason="maxage"}', 1);
    });

    // A second, successful run replaces the file; the counters go on from the first.
    writeFileSync(s.good, 'again\n');
    const goodOnly = join(s.base, 'good.conf');
    writeFileSync(goodOnly, `${s.good} {\n  size 1\n  rotate 2\n  compress\n}\n`, { mode: 0o644 });
    assert.deepEqual(rotate(['-s', s.state, '--metrics-file', file, goodOnly]), { status: 0, stderr: '' });
    const again = samples(await exporter.scrape());
    assert.equal(again.get('logrotor_last_run_success'), 1);
    assert.equal(again.get('logrotor_runs_total{result="success"}'), 1);
    assert.equal(again.get('logrotor_runs_total{result="failure"}'), 1);
    assert.equal(again.get(`logrotor_log_rotations_total{log="${s.good}"}`), 2);
    assert.equal(again.get(`logrotor_log_failures_total{log="${s.bad}"}`), undefined, 'a log no longer configured leaves the metrics');
    assert.equal(again.get('logrotor_last_success_timestamp_seconds'), again.get('logrotor_last_run_timestamp_seconds'));
  } finally {
    await exporter?.stop();
    rmSync(s.base, { recursive: true, force: true });
  }
});
