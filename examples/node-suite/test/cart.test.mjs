import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { total, addLine } from '../lib/cart.mjs';

test('adds', () => {
  assert.equal(total([{ sku: 'a', cents: 250, quantity: 2 }]), 500);
});

describe('addLine', () => {
  test('appends a new sku', () => {
    assert.equal(addLine([], { sku: 'a', cents: 1, quantity: 1 }).length, 1);
  });
  test('merges the same sku', () => {
    const lines = addLine([{ sku: 'a', cents: 1, quantity: 1 }], { sku: 'a', cents: 1, quantity: 2 });
    assert.deepEqual(lines, [{ sku: 'a', cents: 1, quantity: 3 }]);
  });
  describe('limits', () => {
    test('keeps zero quantities', () => {
      assert.equal(addLine([], { sku: 'z', cents: 5, quantity: 0 })[0].quantity, 0);
    });
  });
});

test('empty cart costs nothing', () => {
  assert.equal(total([]), 0);
});
