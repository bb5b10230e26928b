// A shopping cart: lines of { sku, cents, quantity }.

export function total(lines) {
  return lines.reduce((sum, line) => sum + line.cents * line.quantity, 0);
}

export function addLine(lines, line) {
  const existing = lines.find((l) => l.sku === line.sku);
  if (existing) {
    return lines.map((l) => (l.sku === line.sku ? { ...l, quantity: l.quantity + line.quantity } : l));
  }
  return [...lines, line];
}

// The bug the example's failing test finds: the discount is truncated, not rounded.
export function discounted(cents, percent) {
  return Math.floor((cents * (100 - percent)) / 100);
}
