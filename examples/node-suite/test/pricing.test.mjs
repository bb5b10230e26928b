import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { discounted } from '../lib/cart.mjs';

describe('discounts', () => {
  test('applies 10% (rounded) [EUR]', () => {
    // 999 * 0.9 = 899.1 → 899
    assert.equal(discounted(999, 10), 899);
  });
  test('rounds half up', () => {
    // 995 * 0.5 = 497.5 → 498; the implementation truncates to 497.
    assert.equal(discounted(995, 50), 498);
  });
  test('currency conversion', { skip: 'needs the rates service' }, () => {});
  test('coupon stacking', { todo: 'decide the stacking rules' }, () => {});
});
