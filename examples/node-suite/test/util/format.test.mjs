import { test } from 'node:test';
import assert from 'node:assert/strict';
import { euros } from '../../lib/format.mjs';

// The same name as a test in cart.test.mjs: results still map to their own file.
test('adds', () => {
  assert.equal(euros(1234), '€12.34');
});

test('negative amounts', () => {
  assert.equal(euros(-5), '-€0.05');
});
