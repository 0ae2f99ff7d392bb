// One step of an owner's tree: the value kept for the path that ends here, and the steps one part further.
interface PartsNode<V> {
  value: V | undefined;
  readonly next: Map<unknown, PartsNode<V>>;
}

interface OwnerTree<V> {
  readonly root: PartsNode<V>;
  size: number;
}

function newNode<V>(): PartsNode<V> {
  return { value: undefined, next: new Map() };
}

/**
 * Values kept per owner (a table model) under a path of parts: a head (a statement kind) and then each part in order
 * (a model's ColumnModel objects by identity, or string literals). A lookup walks the path with one Map lookup per
 * part on keys whose hashes are already known, where a key string joined per call would be flattened and hashed
 * anew each time (about 0.1 µs for a count's filter). At most `maxPerOwner` values are kept per owner: the paths
 * come from the fields a caller names, so code has a handful, and past the bound a caller naming ever new
 * combinations is served without keeping anything.
 *
 * ```ts
 * const texts = new PartsCache<TableModel, string>(256);
 * texts.remember(caseModel, 'count', [guildId, caseUserId], 'SELECT count(*) …');
 * texts.lookup(caseModel, 'count', [guildId, caseUserId]); // 'SELECT count(*) …'
 * ```
 */
export class PartsCache<O extends object, V> {
  private readonly trees = new WeakMap<O, OwnerTree<V>>();

  constructor(private readonly maxPerOwner: number) {}

  /** The value kept for this path, or undefined. */
  lookup(owner: O, head: unknown, parts: ReadonlyArray<unknown>): V | undefined {
    let node = this.trees.get(owner)?.root.next.get(head);
    for (let i = 0; node !== undefined && i < parts.length; i++) node = node.next.get(parts[i]);
    return node?.value;
  }

  /** Keeps `value` for this path, unless the owner already holds maxPerOwner values. */
  remember(owner: O, head: unknown, parts: ReadonlyArray<unknown>, value: V): void {
    let tree = this.trees.get(owner);
    if (tree === undefined) this.trees.set(owner, (tree = { root: newNode(), size: 0 }));
    if (tree.size >= this.maxPerOwner) return;
    let node = tree.root;
    for (const part of [head, ...parts]) {
      let next = node.next.get(part);
      if (next === undefined) node.next.set(part, (next = newNode()));
      node = next;
    }
    if (node.value === undefined) tree.size++;
    node.value = value;
  }
}
