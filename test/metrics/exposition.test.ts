import { test } from 'node:test';
import assert from 'node:assert/strict';
import { escapeLabelValue, renderExposition, type MetricFamily } from '../../src/metrics/exposition.js';

test('families by name with HELP and TYPE, samples by label, empty families left out', () => {
  const families: MetricFamily[] = [
    { name: 'b_total', help: 'B things.', type: 'counter', samples: [{ labels: { z: '1', a: '2' }, value: 3 }, { labels: { a: '1' }, value: 4 }] },
    { name: 'a_seconds', help: 'A time.', type: 'gauge', samples: [{ labels: {}, value: 1.5 }] },
    { name: 'c_empty', help: 'Nothing.', type: 'gauge', samples: [] },
  ];
  assert.equal(
    renderExposition(families),
    [
      '# HELP a_seconds A time.',
      '# TYPE a_seconds gauge',
      'a_seconds 1.5',
      '# HELP b_total B things.',
      '# TYPE b_total counter',
      'b_total{a="1"} 4',
      'b_total{a="2",z="1"} 3',
      '',
    ].join('\n'),
  );
  assert.equal(renderExposition([...families].reverse()), renderExposition(families), 'order must not depend on the input order');
  assert.equal(renderExposition([]), '');
});

test('label values escape backslash, double quote and line feed; HELP escapes backslash and line feed', () => {
  assert.equal(escapeLabelValue('/var/log/a "b"\\c\nd'), '/var/log/a \\"b\\"\\\\c\\nd');
  const text = renderExposition([{ name: 'x', help: 'one\\two\nthree "q"', type: 'gauge', samples: [{ labels: { log: 'a"b' }, value: 1 }] }]);
  assert.equal(text, '# HELP x one\\\\two\\nthree "q"\n# TYPE x gauge\nx{log="a\\"b"} 1\n');
});

test('special values in Prometheus spelling', () => {
  const text = renderExposition([
    { name: 'v', help: 'h', type: 'gauge', samples: [NaN, Infinity, -Infinity, 1e21, 0].map((value, i) => ({ labels: { i: String(i) }, value })) },
  ]);
  assert.deepEqual(text.split('\n').slice(2, 7), ['v{i="0"} NaN', 'v{i="1"} +Inf', 'v{i="2"} -Inf', 'v{i="3"} 1e+21', 'v{i="4"} 0']);
});
