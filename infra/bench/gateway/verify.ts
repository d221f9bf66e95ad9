/**
 * Before anything is timed, every setup must answer every request with our gateway's body: the
 * same bytes, or else the same JSON (object keys in another order). The replay compares each
 * subgraph's answer with the recorded one instead (it hands back our recorded body).
 */
import { isDeepStrictEqual } from 'node:util';
import { post, type Target } from './load.ts';
import type { SetupName } from './options.ts';
import { VERIFY_HEADER } from './capture.ts';

export type Sameness = 'bytes' | 'JSON' | 'subgraph answers';

/** Where two JSON values first differ, as a path. */
function firstDifference(a: unknown, b: unknown, path = '$'): string {
  if (typeof a !== typeof b || Array.isArray(a) !== Array.isArray(b) || a === null || b === null) return path;
  if (typeof a !== 'object') return a === b ? '' : path;
  const keys = new Set([...Object.keys(a as object), ...Object.keys(b as object)]);
  for (const key of keys) {
    const found = firstDifference(
      (a as Record<string, unknown>)[key],
      (b as Record<string, unknown>)[key],
      `${path}.${key}`,
    );
    if (found) return found;
  }
  return '';
}

export async function verifySetup(
  setup: SetupName,
  to: Target,
  expected: Map<string, string>,
  headers: Record<string, string>,
): Promise<Sameness> {
  let sameness: Sameness = setup === 'replay' ? 'subgraph answers' : 'bytes';
  for (const [body, ours] of expected) {
    const answer = await post(to, body, setup === 'replay' ? { ...headers, [VERIFY_HEADER]: '1' } : headers);
    const text = answer.body.toString('utf8');
    if (answer.status !== 200) throw new Error(`${setup} answered HTTP ${answer.status}: ${text.slice(0, 1000)}`);
    if (text === ours) continue;
    const [theirs, mine] = [JSON.parse(text) as unknown, JSON.parse(ours) as unknown];
    if (!isDeepStrictEqual(theirs, mine)) {
      throw new Error(
        `${setup} answers another body than our gateway for ${body.slice(0, 120)}…: first difference at ${firstDifference(theirs, mine)}\n` +
          `  ${setup}: ${text.slice(0, 600)}\n  ours: ${ours.slice(0, 600)}`,
      );
    }
    if (sameness === 'bytes') sameness = 'JSON';
  }
  return sameness;
}
