// The migration layout of docs/budgets.md, checked against Debian's real logrotate: one
// tree both programs read, logrotate never meeting a logrotor extension, and logrotor
// reading the extended sections in place of the package files they replace.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { LOGROTATE, LOGROTOR } from '../helpers/binaries.js';
import { load, makeTree, type Tree } from './helpers.js';

function layout(tree: Tree): { logrotateConf: string; logrotorConf: string } {
  const r = tree.root;
  for (const log of ['log/app/app.log', 'log/nginx/access.log', 'log/tomcat/catalina.2026-11-30.log', 'log/tomcat/catalina.2026-12-01.log']) {
    tree.write(log, 'x\n');
  }
  const logrotateConf = tree.write('etc/logrotate.conf', `weekly\nrotate 4\ncreate\ninclude ${r}/etc/logrotate.d\n`);
  tree.write('etc/logrotate.d/app', `${r}/log/app/app.log {\n  missingok\n}\n`);
  // The package's own file, untouched.
  tree.write('etc/logrotate.d/nginx', `${r}/log/nginx/*.log {\n  daily\n  rotate 14\n  compress\n}\n`);
  tree.write('etc/logrotor.d/nginx-budgets', `${r}/log/nginx/*.log {\n  daily\n  rotate 14\n  compress\n  maxtotalsize 2G\n  minfree 10%\n}\n`);
  tree.write('etc/logrotor.d/tomcat', `${r}/log/tomcat/catalina.*.log {\n  norename\n  rotate 30\n  compress\n}\n`);
  const logrotorConf = tree.write(
    'etc/logrotor.conf',
    `# Skip the package file whose logs have an extended section in logrotor.d.\ntaboopat + nginx\ninclude ${r}/etc/logrotate.conf\ninclude ${r}/etc/logrotor.d\n`,
  );
  return { logrotateConf, logrotorConf };
}

function debugRun(binary: typeof LOGROTATE, tree: Tree, config: string): { status: number | null; lines: string[] } {
  const run = spawnSync(binary.command, [...binary.args, '-d', '-s', `${tree.root}/state`, config], { encoding: 'utf8' });
  return { status: run.status, lines: `${run.stdout}${run.stderr}`.replaceAll(tree.root, '@').split('\n') };
}

test('logrotate reads the shared tree without meeting an extension; logrotor reads the extended one', () => {
  const tree = makeTree();
  try {
    const { logrotateConf, logrotorConf } = layout(tree);
    const reference = debugRun(LOGROTATE, tree, logrotateConf);
    assert.equal(reference.status, 0);
    assert.deepEqual(reference.lines.filter((l) => /unknown option|^error/.test(l)), []);
    assert.deepEqual(reference.lines.filter((l) => l.startsWith('reading config file')), [
      `reading config file @/etc/logrotate.conf`,
      'reading config file app',
      'reading config file nginx',
    ]);

    const ours = debugRun(LOGROTOR, tree, logrotorConf);
    assert.equal(ours.status, 0);
    const complaints = ours.lines.filter((l) => /^(error|warning)/.test(l) && !l.startsWith('warning: logrotate in debug mode'));
    assert.deepEqual(complaints, []);
    assert.ok(ours.lines.includes('Ignoring nginx, because of nginx pattern match'));
    assert.deepEqual(ours.lines.filter((l) => l.startsWith('reading config file')), [
      'reading config file @/etc/logrotor.conf',
      'reading config file @/etc/logrotate.conf',
      'reading config file app',
      'reading config file nginx-budgets',
      'reading config file tomcat',
    ]);

    const loaded = load([logrotorConf]);
    assert.deepEqual(loaded.messages, []);
    const summary = loaded.sections.map((s) => [s.pattern.replace(tree.root, '@'), s.options.criterion.kind, s.options.rotate, s.options.maxTotalSize, s.options.noRename]);
    // The globals of logrotate.conf reach the sections read after it.
    assert.deepEqual(summary, [
      ['@/log/app/app.log', 'weekly', 4, 0, false],
      ['@/log/nginx/*.log', 'daily', 14, 2 * 1024 ** 3, false],
      ['@/log/tomcat/catalina.*.log', 'weekly', 30, 0, true],
    ]);
  } finally {
    tree.remove();
  }
});

test('why the extended sections stay out of logrotate.d: logrotate ignores what it does not know', () => {
  const tree = makeTree();
  try {
    const { logrotateConf } = layout(tree);
    tree.write('etc/logrotate.d/tomcat', `${tree.root}/log/tomcat/catalina.*.log {\n  norename\n  rotate 30\n}\n`);
    const reference = debugRun(LOGROTATE, tree, logrotateConf);
    // 3.21 words it as an error, main as a warning; either way the exit status stays 0
    // and logrotate would rename the application's own files.
    assert.equal(reference.status, 0);
    assert.ok(reference.lines.includes("error: tomcat:2 unknown option 'norename' -- ignoring line"));
    assert.ok(reference.lines.includes('considering log @/log/tomcat/catalina.2026-12-01.log'));
  } finally {
    tree.remove();
  }
});
