/**
 * Escaping for HTML output. Log fields are attacker-controlled: every value that reaches a page
 * or a notebook goes through one of these, so a user name such as `<img src=x onerror=alert(1)>`
 * shows as text and runs nothing.
 */

const ENTITIES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };

/**
 * Returns text safe to place in HTML element content or a quoted attribute.
 * @example
 * escapeHtml('<img src=x onerror="alert(1)">') // => "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;"
 */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ENTITIES[c]);
}

/**
 * Returns text safe in a notebook's HTML output: escaped as {@link escapeHtml} does, and every `$`
 * in an element of its own. Jupyter typesets `$…$` in HTML outputs with MathJax, so a log value
 * such as `$\href{https://…}{CLICKME}$` would become a live link; MathJax looks for a pair of
 * delimiters within one run of text, and an element breaks the run.
 * @example
 * notebookHtml("$\\href{x}{y}$") // => "<span>$</span>\\href{x}{y}<span>$</span>"
 */
export function notebookHtml(text: string): string {
  return escapeHtml(text).replace(/\$/g, "<span>$</span>");
}

/**
 * Returns JSON safe to embed inside a `<script>` element: `<`, `>`, `&` and the line separators
 * U+2028/U+2029 are written as `\u` escapes, so no value can close the script or open a comment.
 * @example
 * scriptJson({ user: "</script><script>alert(1)</script>" }) // => '{"user":"\u003c/script\u003e…"}'
 */
export function scriptJson(value: unknown): string {
  return JSON.stringify(value).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
}

/**
 * Returns JavaScript source safe to inline in a `<script>` element: any `</script` or `<!--` in
 * it is broken up without changing what the code does inside strings and regular expressions.
 */
export function scriptSource(source: string): string {
  return source.replace(/<\/(script)/gi, "<\\/$1").replace(/<!--/g, "<\\!--");
}
