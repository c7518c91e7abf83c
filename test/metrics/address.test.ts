import { test } from 'node:test';
import assert from 'node:assert/strict';
import { authority, parseListenAddress } from '../../src/metrics/address.js';

test('HOST:PORT with an IPv4 address, a name or a bracketed IPv6 address', () => {
  assert.deepEqual(parseListenAddress('127.0.0.1:9101'), { host: '127.0.0.1', port: 9101 });
  assert.deepEqual(parseListenAddress('localhost:0'), { host: 'localhost', port: 0 });
  assert.deepEqual(parseListenAddress('[::1]:9101'), { host: '::1', port: 9101 });
  assert.equal(authority({ host: '::1', port: 80 }), '[::1]:80');
  assert.equal(authority({ host: '127.0.0.1', port: 80 }), '127.0.0.1:80');
});

test('anything else is refused with a message that says what is wrong', () => {
  const form = '--metrics-listen wants HOST:PORT (e.g. 127.0.0.1:9101 or [::1]:9101)';
  assert.equal(parseListenAddress('9101'), `${form}: '9101' has no port`);
  assert.equal(parseListenAddress(':9101'), `${form}: ':9101' has no host (name the interface, e.g. 127.0.0.1)`);
  assert.equal(parseListenAddress('127.0.0.1:http'), `${form}: '127.0.0.1:http' does not parse`);
  assert.equal(parseListenAddress('::1:9101'), `${form}: '::1:9101' needs brackets around an IPv6 address`);
  assert.equal(parseListenAddress('127.0.0.1:70000'), `${form}: '127.0.0.1:70000' has a port outside 0-65535`);
  assert.equal(parseListenAddress(''), `${form}: '' has no port`);
});
