/** A seeded pseudo-random source of numbers in [0, 1) (mulberry32: small, fast, and the same on every machine). */
export type Random = () => number;

/** A Random from a 32-bit seed: the same seed gives the same sequence. */
export function seededRandom(seed: number): Random {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** A new array with `items` in a uniformly random order (Fisher–Yates) drawn from `random`. */
export function shuffled<T>(items: ReadonlyArray<T>, random: Random): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
}

/**
 * The order in which the implementations of `order` run the `chunks` chunks of one interleaved round (see
 * Plan.interleaveSeconds):
 * `order` (a shuffled round order) forwards, then backwards, and so on. Each implementation runs `chunks` times, and
 * with two of them the pattern is ABBAAB…: each follows the other as often as it leads, and a drift of the host that
 * is linear over the round falls on both alike.
 * @example
 * interleavedOrder(['a', 'b'], 3); // ['a', 'b', 'b', 'a', 'a', 'b']
 */
export function interleavedOrder<T>(order: ReadonlyArray<T>, chunks: number): T[] {
  const out: T[] = [];
  const backwards = [...order].reverse();
  for (let k = 0; k < chunks; k++) out.push(...(k % 2 === 0 ? order : backwards));
  return out;
}

/** A fresh seed for a run that was given none (printed in the report, so the run's order can be replayed). */
export function freshSeed(): number {
  return Math.floor(Math.random() * 2 ** 31);
}
