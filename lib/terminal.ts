/**
 * Text for a terminal. Log values are attacker-controlled: a user name can carry ANSI escape
 * sequences (set the window title, clear the screen, hide text) or Unicode direction overrides
 * that make a line read backwards. Printed through {@link terminalSafe}, every such character is
 * shown as its `\uXXXX` escape instead of acting; inside JSON that escape means the same character,
 * so JSON output stays valid and lossless.
 */

/** C0 controls but tab and newline, DEL, C1 controls, and the bidirectional formatting characters. */
const UNSAFE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

/**
 * Returns text with every control character (but tab and newline) and every bidirectional
 * override written as a visible `\uXXXX` escape.
 * @example
 * terminalSafe("bob\x1b]0;pwned\x07") // => "bob\\u001b]0;pwned\\u0007"
 * terminalSafe("invoice\u202Efdp.exe") // => "invoice\\u202efdp.exe"
 */
export function terminalSafe(text: string): string {
  return text.replace(UNSAFE, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
}
