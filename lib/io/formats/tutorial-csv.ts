/**
 * The tutorial's CSV (`timestamp,user_id,log_type,ip_address,location,bytes_transferred,threat_level`),
 * read whole or scanned in batches by polars, checked strictly.
 */
import { TUTORIAL_COLUMNS } from "../../schema";
import { readLogs, scanLogs } from "../read-logs";
import type { FrameFormat } from "./format";
import { csvHeader, looksLikeCsvHeader } from "./generic";

/** The tutorial's CSV. */
export const tutorialCsv: FrameFormat = {
  kind: "frame",
  name: "tutorial-csv",
  title: "the tutorial's CSV: its seven columns, as threatlab generate and the Python tutorial write it",
  example: "2025-01-01 00:07:12,user_27,login_success,192.168.1.37,office,5087,normal",
  clock: "timestamp as written (YYYY-MM-DD HH:MM:SS), read as UTC",
  headerLines: 1,
  sniff: (head) => looksLikeCsvHeader(head.lines[0]) && TUTORIAL_COLUMNS.every((c) => csvHeader(head.lines[0]).includes(c)),
  read: (path) => readLogs(path),
  scan: (path) => scanLogs(path),
};
