/**
 * An isolation forest (Liu, Ting & Zhou, 2008), the field's default unsupervised anomaly model,
 * in plain TypeScript. Written here rather than taken from npm: the packages found
 * (`isolation-forest` 0.0.9, `ml-isolation-forest` 0.1.0) are single-author 0.x releases without
 * a documented seed, and the algorithm is short enough to own, seed and test.
 */
import { checkInteger } from "../errors";
import { createRng, type Rng } from "../shared/rng";
import { withDefaults } from "./rule";

/** Options of {@link IsolationForest.fit}. */
export interface IsolationForestOptions {
  /** Number of trees. Default `100` (the paper's). */
  trees?: number;
  /** Rows drawn, without replacement, to grow each tree. Default `256` (the paper's ψ). */
  sampleSize?: number;
  /** Seed of the sampling and the random splits. Default `42`. */
  seed?: number;
}

/** The defaults of {@link IsolationForestOptions}: the paper's. */
export const FOREST_DEFAULTS = { trees: 100, sampleSize: 256, seed: 42 };

/** One tree, as flat arrays: node k splits on `feature[k]` at `split[k]`, or is a leaf (`feature[k] = -1`) holding `size[k]` rows. */
interface Tree {
  feature: number[];
  split: number[];
  left: number[];
  right: number[];
  size: number[];
}

const EULER = 0.5772156649015329;

/**
 * Returns c(n), the average path length of an unsuccessful search in a binary search tree of n
 * points: the normaliser of isolation depths.
 * @example
 * averagePathLength(2) // => 1
 */
export function averagePathLength(n: number): number {
  if (n <= 1) return 0;
  if (n === 2) return 1;
  return 2 * (Math.log(n - 1) + EULER) - (2 * (n - 1)) / n;
}

/** A fitted isolation forest; see the module comment. */
export class IsolationForest {
  private constructor(
    private readonly trees: Tree[],
    private readonly sampleSize: number,
  ) {}

  /**
   * Returns a forest grown on `rows` (each an array of the same features).
   * @example
   * const forest = IsolationForest.fit(rows, { seed: 1 });
   * forest.score([0, 0]) // ≈ 0.4 for a typical point, near 1 for an isolated one
   */
  static fit(rows: readonly (readonly number[])[], options: IsolationForestOptions = {}): IsolationForest {
    return IsolationForest.grow(rows.length, rows[0]?.length ?? 0, (i) => rows[i], options);
  }

  /**
   * Returns the forest {@link fit} grows on the same rows given as columns (one array per feature):
   * for millions of rows, which as arrays of arrays would take gigabytes. Only the sampled rows are
   * ever put together.
   */
  static fitColumns(columns: readonly Float64Array[], options: IsolationForestOptions = {}): IsolationForest {
    const rows = new Map<number, number[]>();
    const rowAt = (i: number): number[] => rows.get(i) ?? rows.set(i, columns.map((c) => c[i])).get(i)!;
    return IsolationForest.grow(columns[0]?.length ?? 0, columns.length, rowAt, options);
  }

  private static grow(n: number, features: number, rowAt: (i: number) => readonly number[], options: IsolationForestOptions): IsolationForest {
    const { trees, sampleSize, seed } = withDefaults(FOREST_DEFAULTS, options);
    checkInteger("trees", trees, 1, 10_000);
    checkInteger("sampleSize", sampleSize, 2, 1_000_000);
    const rng = createRng(seed, "isolation-forest");
    const psi = Math.min(sampleSize, n);
    const limit = Math.ceil(Math.log2(Math.max(psi, 2)));
    const grown: Tree[] = [];
    for (let t = 0; t < trees; t++) grown.push(growTree(rowAt, features, drawSample(rng, n, psi), limit, rng));
    return new IsolationForest(grown, psi);
  }

  /** Returns the anomaly score of one row, in (0, 1]: about 0.5 or less is ordinary, near 1 is isolated at once. */
  score(row: readonly number[]): number {
    if (this.trees.length === 0 || this.sampleSize < 2) return 0.5;
    let total = 0;
    for (const tree of this.trees) total += pathLength(tree, row);
    return 2 ** (-(total / this.trees.length) / averagePathLength(this.sampleSize));
  }
}

/** Returns `count` distinct row indices out of `n` (a partial Fisher–Yates that stores only the swaps). */
function drawSample(rng: Rng, n: number, count: number): number[] {
  const swapped = new Map<number, number>();
  const out: number[] = [];
  for (let i = 0; i < count; i++) {
    const j = i + rng.below(n - i);
    out.push(swapped.get(j) ?? j);
    swapped.set(j, swapped.get(i) ?? i);
  }
  return out;
}

function growTree(rowAt: (i: number) => readonly number[], features: number, sample: number[], limit: number, rng: Rng): Tree {
  const tree: Tree = { feature: [], split: [], left: [], right: [], size: [] };
  const grow = (indices: number[], depth: number): number => {
    const node = tree.feature.length;
    tree.feature.push(-1);
    tree.split.push(0);
    tree.left.push(-1);
    tree.right.push(-1);
    tree.size.push(indices.length);
    if (depth >= limit || indices.length <= 1) return node;
    // Pick a feature that still varies at this node; a node where none varies is a leaf.
    const varying: number[] = [];
    const ranges: [number, number][] = [];
    for (let f = 0; f < features; f++) {
      let lo = Infinity;
      let hi = -Infinity;
      for (const i of indices) {
        const v = rowAt(i)[f];
        if (v < lo) lo = v;
        if (v > hi) hi = v;
      }
      if (hi > lo) {
        varying.push(f);
        ranges.push([lo, hi]);
      }
    }
    if (varying.length === 0) return node;
    const k = rng.below(varying.length);
    const [lo, hi] = ranges[k];
    const split = lo + rng.float() * (hi - lo);
    const left = indices.filter((i) => rowAt(i)[varying[k]] < split);
    const right = indices.filter((i) => rowAt(i)[varying[k]] >= split);
    tree.feature[node] = varying[k];
    tree.split[node] = split;
    tree.left[node] = grow(left, depth + 1);
    tree.right[node] = grow(right, depth + 1);
    return node;
  };
  grow(sample, 0);
  return tree;
}

function pathLength(tree: Tree, row: readonly number[]): number {
  let node = 0;
  let depth = 0;
  while (tree.feature[node] !== -1) {
    node = row[tree.feature[node]] < tree.split[node] ? tree.left[node] : tree.right[node];
    depth++;
  }
  return depth + averagePathLength(tree.size[node]);
}
