// Seeded randomness for generated tests: the same seed gives the same case on every
// machine, so a failure is replayed from the number it prints.

/** mulberry32: tiny, fast, and well spread for test generation. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

export class Dice {
  private readonly next: () => number;
  constructor(seed: number) {
    this.next = prng(seed);
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  pick<T>(items: readonly T[]): T {
    const item = items[Math.floor(this.next() * items.length)];
    if (item === undefined) throw new Error('pick from an empty list');
    return item;
  }
  /** An integer in [min, max]. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }
  /** Up to `max` distinct items, in their original order. */
  some<T>(items: readonly T[], max: number): T[] {
    const wanted = this.int(0, Math.min(max, items.length));
    const chosen = new Set<number>();
    while (chosen.size < wanted) chosen.add(this.int(0, items.length - 1));
    return items.filter((_, i) => chosen.has(i));
  }
}
