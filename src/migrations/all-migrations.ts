import { InitialSchema1764140000000 } from './1764140000000-initial-schema';

/** Every migration class, oldest first. */
export const ALL_MIGRATIONS = [InitialSchema1764140000000] as const;
