// `tux-database/testing`: helpers for bot authors' unit tests (needs sinon, a peer dependency of this subpath only).
import 'reflect-metadata';

export { createStubDatabase, type StubCoordinator, type StubDatabase } from './stub-database';
