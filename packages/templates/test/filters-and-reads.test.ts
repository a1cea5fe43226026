import assert from 'node:assert/strict';
import { applyFilters, readCovers } from '../src/index.ts';

describe('output filters', () => {
  it('removeBlankLines, squeezeBlankLines, trimTrailingBlanks', () => {
    assert.equal(applyFilters('a\n\n  \nb\n\n', ['removeBlankLines'], 'x'), 'a\nb\n');
    assert.equal(applyFilters('a\n\n\n\nb\n', ['squeezeBlankLines'], 'x'), 'a\n\nb\n');
    assert.equal(applyFilters('a  \nb\t\n', ['trimTrailingBlanks'], 'x'), 'a\nb\n');
  });

  it('refuses an unknown filter by name', () => {
    assert.throws(() => applyFilters('a', ['perlCode'], '/etc/x'), { code: 'E_TPL_METADATA', message: /^\/etc\/x: unknown FILTER perlCode/ });
  });
});

describe('which reads a change affects', () => {
  it('a prop read, a type read (any change of the record), a whole-database read', () => {
    const prop = { db: 'configuration', key: 'modSSL', prop: 'TCPPort' };
    const type = { db: 'configuration', key: 'modSSL', prop: null };
    const whole = { db: 'hosts', key: null, prop: null };
    assert.equal(readCovers(prop, 'configuration', 'modSSL', 'TCPPort'), true);
    assert.equal(readCovers(prop, 'configuration', 'modSSL', 'status'), false);
    assert.equal(readCovers(prop, 'configuration', 'modSSL'), true);
    assert.equal(readCovers(type, 'configuration', 'modSSL', 'status'), true);
    assert.equal(readCovers(type, 'configuration', 'sshd'), false);
    assert.equal(readCovers(whole, 'hosts', 'www', 'HostType'), true);
    assert.equal(readCovers(whole, 'domains', 'www'), false);
  });
});
