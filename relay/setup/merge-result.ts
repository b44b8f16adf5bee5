/** What merging our entry into a client's configuration text produces. */
export interface MergeResult {
  text: string;
  /** The text of the `hospiai` entry that was replaced, if there was one (to warn about tokens). */
  replaced: string | null;
}

/**
 * The file cannot be merged safely (invalid, unusual layout, ambiguous): nothing is written and
 * the message, which never quotes the file's values, says why.
 */
export class ConfigMergeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigMergeError';
  }
}
