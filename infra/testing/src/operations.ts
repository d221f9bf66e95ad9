/**
 * The text of the operation named `name` in a document of several (the README, the explorer's
 * examples), from its keyword to its closing brace, for a test to send on its own.
 */
export function operationNamed(name: string, source: string): string {
  const start = source.search(new RegExp(`(query|mutation|subscription) ${name}\\b`));
  if (start < 0) throw new Error(`No operation ${name}`);
  let depth = 0;
  for (let i = source.indexOf('{', start); i < source.length; i += 1) {
    if (source[i] === '{') depth += 1;
    if (source[i] === '}' && --depth === 0) return source.slice(start, i + 1);
  }
  throw new Error(`Unbalanced operation ${name}`);
}
