/**
 * @module A small seeded pseudo-random generator (mulberry32): demo data and benchmarks use it so every run
 * produces the same people and the same load.
 */

/** Returns a function giving the next number in [0, 1) of the sequence for `seed`. */
export function seededRandom(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let x = Math.imul(s ^ (s >>> 15), 1 | s);
    x ^= x + Math.imul(x ^ (x >>> 7), 61 | x);
    return ((x ^ (x >>> 14)) >>> 0) / 4_294_967_296;
  };
}
