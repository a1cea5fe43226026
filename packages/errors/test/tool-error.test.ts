import assert from 'node:assert/strict';
import { ToolError, isToolError, toToolError } from '../src/index.ts';

describe('isToolError across copies of the package', () => {
  it('knows a ToolError made by another copy (an event action importing built packages beside the bins\' bundle), keeping its code', async () => {
    const copy = (await import(new URL('../src/tool-error.ts?another-copy', import.meta.url).href)) as typeof import('../src/tool-error.ts');
    assert.notEqual(copy.ToolError, ToolError, 'a second module instance');
    const error = new copy.ToolError('E_SSL_SELF_SIGNED', 'openssl is not installed');
    assert.equal(error instanceof ToolError, false);
    assert.equal(isToolError(error), true);
    assert.equal(toToolError(error).code, 'E_SSL_SELF_SIGNED');
  });

  it('still refuses look-alikes: a plain error with a code is a bug (E_INTERNAL)', () => {
    const plain = Object.assign(new Error('x'), { code: 'E_USAGE' });
    assert.equal(isToolError(plain), false);
    assert.equal(toToolError(plain).code, 'E_INTERNAL');
    assert.equal(isToolError({ code: 'E_USAGE', message: 'x' }), false);
  });
});
