/**
 * AS-REP roasting (ATT&CK T1558.004): a ticket-granting ticket issued without pre-authentication
 * (Windows 4768 with PreAuthType 0). The domain controller then answers anyone who asks with data
 * encrypted by the account's password, to be cracked offline; RC4 makes that quick.
 */
import pl from "nodejs-polars";
import { checkNumber } from "../errors";
import { MINUTE_MS } from "../time";
import { type Detection, formatDuration } from "./detection";
import { collectEvents, detectorView, type Events, groupIndices, lazyEvents, sharedStrings } from "./events";
import { raiseSeverity, type Rule, withDefaults } from "./rule";
import { listSome, plural } from "./words";

/** Options of {@link detectAsrepRoasting}. */
export interface AsrepRoastingOptions {
  /** Tickets one source obtains without pre-authentication within this many minutes form one detection. Default `60`. */
  windowMinutes?: number;
}

/** The defaults of {@link AsrepRoastingOptions}. */
const ASREP_DEFAULTS = { windowMinutes: 60 };

/** The ATT&CK technique of {@link detectAsrepRoasting}. */
export const ASREP_TECHNIQUE = "T1558.004";

/** What an AS-REP roasting detection holds. */
export type AsrepRoastingEvidence = {
  /** The accounts whose tickets were issued without pre-authentication. */
  accounts: string[];
  tickets: number;
  /** True when any of them was encrypted with RC4 (0x17, 0x18): crackable in hours. */
  rc4: boolean;
};

/**
 * Returns a detection for every source that obtained tickets without pre-authentication (4768,
 * PreAuthType 0, read as log type `kerberos_tgt`), one per run of such tickets within `windowMinutes`.
 * @example
 * detectAsrepRoasting(windowsEvents)[0].evidence // => { accounts: ["admin-test"], tickets: 1, rc4: true }
 */
export function detectAsrepRoasting(frame: Events, options: AsrepRoastingOptions = {}): Detection[] {
  const { windowMinutes } = withDefaults(ASREP_DEFAULTS, options);
  checkNumber("windowMinutes", windowMinutes, 0.1, 31 * 24 * 60);
  const view = detectorView(frame);
  if (!view.columns.includes("detail")) return [];
  const rows = collectEvents(
    view,
    lazyEvents(view)
      .filter(pl.col("log_type").eq(pl.lit("kerberos_tgt")).and(pl.col("detail").str.contains("PreAuthType=0\\b")))
      .select(
        pl.col("timestamp").cast(pl.Int64).alias("t"),
        pl.col("ip_address").cast(pl.Utf8).fillNull("(unknown source)").alias("s"),
        pl.col("user_id").cast(pl.Utf8).fillNull("(unknown account)").alias("u"),
        pl.col("detail").str.contains("TicketEncryptionType=0x1[78]\\b").fillNull(false).alias("rc4"),
      )
      .sort({ by: "t", maintainOrder: true }),
  );
  const time = rows.getColumn("t").toArray().map(Number);
  const source = sharedStrings(rows.getColumn("s")) as string[];
  const user = sharedStrings(rows.getColumn("u")) as string[];
  const rc4 = rows.getColumn("rc4").toArray() as boolean[];
  const windowMs = windowMinutes * MINUTE_MS;
  const detections: Detection[] = [];
  for (const [from, indices] of groupIndices(source)) {
    // Runs of tickets no further apart than the window.
    let run: number[] = [];
    const flush = (): void => {
      if (run.length === 0) return;
      const accounts = [...new Set(run.map((i) => user[i]))].sort();
      const start = time[run[0]];
      const end = time[run[run.length - 1]];
      detections.push({
        rule: "asrep_roasting", technique: ASREP_TECHNIQUE, entity: { type: "source", value: from }, start, end, eventCount: run.length,
        score: accounts.length, observed: accounts.length, expected: 1, measure: "accounts given a ticket without pre-authentication", window: `${formatDuration(windowMs)} gaps`,
        evidence: { accounts, tickets: run.length, rc4: run.some((i) => rc4[i]) } satisfies AsrepRoastingEvidence,
        logTypes: ["kerberos_tgt"],
      });
      run = [];
    };
    for (const i of indices) {
      if (run.length > 0 && time[i] - time[run[run.length - 1]] > windowMs) flush();
      run.push(i);
    }
    flush();
  }
  return detections;
}

/** AS-REP roasting: tickets issued without pre-authentication. */
export const asrepRoasting: Rule<"asrep_roasting", AsrepRoastingOptions, AsrepRoastingEvidence> = {
  name: "asrep_roasting", title: "AS-REP roasting", family: "window rule", technique: ASREP_TECHNIQUE, severity: "medium",
  requires: ["timestamp", "log_type", "detail"], needsValues: ["detail"], defaults: ASREP_DEFAULTS,
  explain: (o) => `any ticket-granting ticket issued without pre-authentication (4768, PreAuthType 0); high with RC4 or for several accounts; runs within ${o.windowMinutes} min are one alert`,
  basis: 'Sigma "AS-REP Roasting" (4768, PreAuthType 0, RC4)',
  detect: detectAsrepRoasting,
  summarize: (d) =>
    `${d.entity.value} obtained ${plural(d.evidence.tickets, "ticket")} without pre-authentication for ${listSome(d.evidence.accounts, 5)}` +
    `${d.evidence.rc4 ? " (RC4: crackable offline in hours)" : ""}; an account that needs no pre-authentication can be cracked by anyone who asks`,
  escalate: (d, base) => (d.evidence.rc4 || d.evidence.accounts.length > 1 ? raiseSeverity(base) : base),
};
