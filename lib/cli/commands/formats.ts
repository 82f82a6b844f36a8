/** `threatlab formats`. */
import { formatsMarkdown, formatsText } from "../../io/formats/describe";
import { type Command, listing } from "../command";

export const formatsCommand: Command = listing("formats", "list the log formats threatlab reads, each with an example and how its clock is read", formatsText, formatsMarkdown);
