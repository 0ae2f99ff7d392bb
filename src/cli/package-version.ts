import { readFileSync } from 'node:fs';
import path from 'node:path';

/** The package's root directory, whether this runs from src/cli or from the compiled dist/src/cli. */
export const PACKAGE_ROOT = ((): string => {
  const above = path.resolve(__dirname, '..', '..'); // the package root from src/cli, dist/ from dist/src/cli
  return path.basename(above) === 'dist' ? path.dirname(above) : above;
})();

/**
 * The version of tux-database itself, from its package.json.
 * @example
 * packageVersion(); // '0.1.0'
 */
export function packageVersion(): string {
  const manifest: unknown = JSON.parse(readFileSync(path.join(PACKAGE_ROOT, 'package.json'), 'utf8'));
  const version = typeof manifest === 'object' && manifest !== null ? (manifest as { version?: unknown }).version : undefined;
  return typeof version === 'string' ? version : 'unknown';
}
