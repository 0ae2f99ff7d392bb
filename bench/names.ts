/** The names the report and the targets use. */
export const NAMES = {
  library: 'library',
  ceiling: 'ceiling',
  postgresJs: 'postgres.js',
  typeorm: 'TypeORM as taught',
  typeormBest: 'TypeORM best effort',
  drizzle: 'Drizzle as taught',
  drizzleBest: 'Drizzle best effort',
  kysely: 'Kysely as taught',
  kyselyBest: 'Kysely best effort',
} as const;

/** The ORM peers: as their documentation teaches them, and at their best (the library's SQL through their raw API). */
export const ORM_PEERS = [
  { orm: 'TypeORM', taught: NAMES.typeorm, best: NAMES.typeormBest },
  { orm: 'Drizzle', taught: NAMES.drizzle, best: NAMES.drizzleBest },
  { orm: 'Kysely', taught: NAMES.kysely, best: NAMES.kyselyBest },
] as const;
