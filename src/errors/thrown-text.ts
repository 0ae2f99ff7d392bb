/**
 * The text of a value for a message, never throwing: String() throws for an object without a prototype
 * (`Object.create(null)`) or with a throwing toString, and such a value reads as its tag (`[object Object]`).
 */
export function valueText(value: unknown): string {
  try {
    return String(value);
  } catch {
    return Object.prototype.toString.call(value);
  }
}

/**
 * What a caught value says, for a message that reports it: an Error's message, anything else as text (valueText).
 * Bot code, listeners and migrations may throw any value; reporting it must not throw in turn.
 */
export function thrownText(e: unknown): string {
  return e instanceof Error ? e.message : valueText(e);
}
