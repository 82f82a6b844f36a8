/**
 * Notebooks as they are committed: no outputs, no execution counts, no metadata a session leaves
 * behind (collapsed or scrolled cells, execution times, widget state, signatures, kernel versions),
 * in the layout Jupyter itself saves (keys sorted, one-space indent), so that saving from Jupyter
 * and cleaning give the same bytes.
 */

/** Notebook metadata kept: which kernel, which language, which data (threatlab's own). */
const NOTEBOOK_METADATA: Record<string, readonly string[] | true> = {
  kernelspec: ["display_name", "language", "name"],
  language_info: ["file_extension", "mimetype", "name"],
  threatlab: true,
};

/** Cell metadata kept: tags (they mark figure, exercise and solution cells). */
const CELL_METADATA = ["tags"] as const;

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

const isObject = (value: Json | undefined): value is JsonObject => typeof value === "object" && value !== null && !Array.isArray(value);

/** Returns `object` with only `keys` (those present). */
function pick(object: JsonObject, keys: readonly string[]): JsonObject {
  return Object.fromEntries(keys.filter((k) => object[k] !== undefined).map((k) => [k, object[k]]));
}

/** Splits text into lines that keep their "\n", as Jupyter stores cell sources. */
function sourceLines(source: Json): Json {
  if (typeof source !== "string") return source;
  return source.split(/(?<=\n)/).filter((line) => line !== "");
}

/** Returns the notebook without outputs, execution counts or session metadata. */
export function cleanNotebook(notebook: JsonObject): JsonObject {
  const metadata = isObject(notebook.metadata) ? notebook.metadata : {};
  const keptMetadata: JsonObject = {};
  for (const [key, fields] of Object.entries(NOTEBOOK_METADATA)) {
    const value = metadata[key];
    if (value === undefined) continue;
    keptMetadata[key] = fields === true || !isObject(value) ? value : pick(value, fields);
  }
  const cells = (Array.isArray(notebook.cells) ? notebook.cells : []).filter(isObject).map((cell) => {
    const cellMetadata = isObject(cell.metadata) ? pick(cell.metadata, CELL_METADATA) : {};
    if (Array.isArray(cellMetadata.tags) && cellMetadata.tags.length === 0) delete cellMetadata.tags;
    const clean: JsonObject = { ...cell, metadata: cellMetadata, source: sourceLines(cell.source ?? "") };
    if (cell.cell_type === "code") {
      clean.outputs = [];
      clean.execution_count = null;
    } else {
      delete clean.outputs;
      delete clean.execution_count;
    }
    return clean;
  });
  return { ...notebook, cells, metadata: keptMetadata };
}

/** Returns the value with every object's keys sorted, as Jupyter writes notebooks. */
function sortKeys(value: Json): Json {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (!isObject(value)) return value;
  return Object.fromEntries(Object.keys(value).sort().map((k) => [k, sortKeys(value[k])]));
}

/**
 * Returns the cleaned text of a notebook file, laid out as Jupyter saves it. Throws a SyntaxError
 * when the text is not JSON.
 * @example
 * cleanNotebookText(readFileSync("notebooks/01-setup.ipynb", "utf8")) // same text when already clean
 */
export function cleanNotebookText(text: string): string {
  return `${JSON.stringify(sortKeys(cleanNotebook(JSON.parse(text) as JsonObject)), null, 1)}\n`;
}
