import DataLoader from 'dataloader';

/**
 * Request-scoped DataLoaders for relations that take arguments (filters, page size): one loader
 * per distinct argument set, so parents asking the same question share one SQL statement.
 */
export class LoaderRegistry {
  private readonly loaders = new Map<string, DataLoader<any, any>>();

  get<K, V>(relation: string, args: unknown, batch: (keys: readonly K[]) => Promise<V[]>): DataLoader<K, V> {
    const key = `${relation}:${JSON.stringify(args ?? null)}`;
    let loader = this.loaders.get(key);
    if (!loader) {
      loader = new DataLoader<K, V>(batch as DataLoader.BatchLoadFn<K, V>, { cache: true });
      this.loaders.set(key, loader);
    }
    return loader as DataLoader<K, V>;
  }
}

/** Orders a batch's rows by the keys DataLoader asked for. */
export function byKey<K, R>(keys: readonly K[], rows: R[], keyOf: (row: R) => K): (R | null)[] {
  const map = new Map<K, R>();
  for (const row of rows) map.set(keyOf(row), row);
  return keys.map((key) => map.get(key) ?? null);
}

export function groupByKey<K, R>(keys: readonly K[], rows: R[], keyOf: (row: R) => K): R[][] {
  const map = new Map<K, R[]>();
  for (const row of rows) {
    const list = map.get(keyOf(row));
    if (list) list.push(row);
    else map.set(keyOf(row), [row]);
  }
  return keys.map((key) => map.get(key) ?? []);
}
