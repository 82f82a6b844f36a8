/**
 * Numbers in words for one-line summaries: bytes in decimal units, counts with their noun, ranges
 * and short lists. Each rule's `summarize` uses these, so every summary reads the same way.
 */

/**
 * Returns bytes in decimal units: `"950 B"`, `"412 KB"`, `"3.2 GB"`.
 * @example
 * formatBytes(3_200_000_000) // => "3.2 GB"
 */
export function formatBytes(bytes: number): string {
  const units = ["B", "KB", "MB", "GB", "TB"];
  let value = bytes;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit++;
  }
  return `${unit === 0 || value >= 100 ? Math.round(value) : Number(value.toFixed(1))} ${units[unit]}`;
}

/**
 * Returns a whole number with thousands separators.
 * @example
 * count(2000.4) // => "2,000"
 */
export const count = (n: number): string => Math.round(n).toLocaleString("en-US");

/**
 * Returns "1 alert", "2,000 alerts": a count and its word, plural when not one.
 * @example
 * plural(2000, "alert") // => "2,000 alerts"
 */
export const plural = (n: number, word: string): string => `${count(n)} ${word}${Math.round(n) === 1 ? "" : "s"}`;

/**
 * Returns the first `n` items joined by commas, with "…" when there are more.
 * @example
 * listSome(["a", "b", "c"], 2) // => "a, b, …"
 */
export const listSome = (items: readonly string[], n: number): string => items.slice(0, n).join(", ") + (items.length > n ? ", …" : "");

/**
 * Returns "0" or "0–N": what an entity's usual count was, up to its highest.
 * @example
 * upTo(3) // => "0–3"
 */
export const upTo = (n: number): string => (n === 0 ? "0" : `0–${count(n)}`);

/**
 * Returns "1 password", "2 passwords" or "1–2 passwords" for a [min, max] pair.
 * @example
 * range([1, 2], "password") // => "1–2 passwords"
 */
export const range = ([lo, hi]: readonly [number, number], word: string): string => (lo === hi ? plural(lo, word) : `${lo}–${hi} ${word}s`);
