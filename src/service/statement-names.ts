const MAX_NAMED_STATEMENTS = 2000;

/**
 * Names for prepared statements, one per distinct SQL text, shared by every pooled connection (pg prepares a
 * name once per connection). Bounded, so endlessly varied SQL cannot make each connection hold unbounded plans.
 */
export class StatementNames {
  private readonly names = new Map<string, string>();

  /** The name for `text`, or undefined when the cache is full (then the statement runs unnamed). */
  nameFor(text: string): string | undefined {
    const known = this.names.get(text);
    if (known !== undefined || this.names.size >= MAX_NAMED_STATEMENTS) return known;
    const name = `tux_${this.names.size}`;
    this.names.set(text, name);
    return name;
  }
}
