/** `threatlab rules`. */
import { rulesMarkdown, rulesText } from "../../detect/describe-rules";
import { type Command, listing } from "../command";

export const rulesCommand: Command = listing("rules", "list the detection rules, each with its technique, base severity and options with their defaults", rulesText, rulesMarkdown);
