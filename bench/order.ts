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

/** A fresh seed for a run that was given none (printed in the report, so the run's order can be replayed). */
export function freshSeed(): number {
  return Math.floor(Math.random() * 2 ** 31);
}
