import { REPOSITORY_TABLE, type RepositoryTable } from './repository-table';

// Generic, so the mapped type keeps the table's tuple shape (ALL_REPOSITORIES[4] is typeof LevelsRepository).
type ClassesOf<T extends RepositoryTable> = { readonly [I in keyof T]: T[I] extends { readonly repository: infer R } ? R : never };

/** Every repository class, in REPOSITORY_TABLE's order (derived from it, never listed by hand). */
export const ALL_REPOSITORIES = REPOSITORY_TABLE.map((r) => r.repository) as unknown as ClassesOf<RepositoryTable>;
