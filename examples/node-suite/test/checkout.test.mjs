import { test } from 'node:test';
import assert from 'node:assert/strict';
import { total } from '../lib/cart.mjs';

const pause = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

// Slower than the rest, so the schedule has something to balance.
test('charges the card once', async () => {
  await pause(400);
  assert.equal(total([{ sku: 'b', cents: 100, quantity: 3 }]), 300);
});

test('sends one receipt', async () => {
  await pause(300);
  assert.ok(true);
});
