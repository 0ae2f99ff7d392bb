/** Keeps the last lines a server logged, for error messages, and passes each line on to an optional listener. */
export class LogTail {
  private readonly recent: string[] = [];

  constructor(
    private readonly onLine?: (line: string) => void,
    private readonly limit = 12,
  ) {}

  /** Records a chunk of log output, which may hold several lines or none. */
  push(chunk: string): void {
    for (const line of chunk.split(/\r?\n/)) {
      if (line.trim() === '') continue;
      this.recent.push(line);
      if (this.recent.length > this.limit) this.recent.shift();
      this.onLine?.(line);
    }
  }

  /** The recorded lines, oldest first. */
  lines(): ReadonlyArray<string> {
    return [...this.recent];
  }
}
