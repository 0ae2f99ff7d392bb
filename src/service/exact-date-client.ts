import { SerialClient } from './serial-client';
import { bindParameters } from './bind-parameters';

function hasValues(config: unknown): config is { readonly values: ReadonlyArray<unknown> } {
  if (typeof config !== 'object' || config === null) return false;
  // A Submittable (pg Query, cursors) serializes its own values.
  const { values, submit } = config as { values?: unknown; submit?: unknown };
  return Array.isArray(values) && typeof submit !== 'function';
}

/**
 * The pg Client of the library's pool: a SerialClient (queries on one connection wait for each other) whose Date
 * parameters, also inside array parameters, go to the server as exact UTC text (timestamptzText) instead of pg's
 * local-time text, which loses the seconds of historical zone offsets, and whose flat arrays are written as their
 * literal in one pass (see bindParameters). pg's global defaults stay untouched, so a bot using pg itself is not
 * affected.
 *
 * ```ts
 * new Pool({ connectionString, Client: ExactDateClient });
 * ```
 */
export class ExactDateClient extends SerialClient {}

// pg's query() has a dozen overloads; every one takes the values as its second argument or in a config object.
Object.defineProperty(ExactDateClient.prototype, 'query', {
  configurable: true,
  writable: true,
  value: function query(this: SerialClient, ...args: unknown[]): unknown {
    const [first, second] = args;
    if (Array.isArray(second)) args[1] = bindParameters(second);
    else if (hasValues(first)) {
      // A new config only when a value changed: the caller's own is never modified, and a statement of plain values
      // (most reads) costs no copy.
      const values = bindParameters(first.values);
      if (values !== first.values) args[0] = { ...first, values };
    }
    // Looked up on each call, as SerialClient does with pg's, so a spy on either prototype sees every statement.
    return Reflect.apply(SerialClient.prototype.query, this, args);
  },
});
