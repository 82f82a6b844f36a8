/**
 * Scoring alerts against ground truth, honestly: at the level of events and of whole campaigns,
 * per ATT&CK technique, with alert volume, so that a rule cannot look good by flagging everything.
 */
import type { Alert } from "../alerts/alerts";
import { type GroundTruth, forEachCovered } from "./ground-truth";

/** Scores for one ATT&CK technique. */
export interface TechniqueScores {
  /** Campaigns of this technique in the data, and how many any alert touched. */
  readonly campaigns: number;
  readonly campaigns_found: number;
  readonly campaign_recall: number | null;
  /** Attack events of this technique, and the share any alert covered. */
  readonly events: number;
  readonly event_recall: number | null;
  /** Alerts raised under this technique, and the share that touched any attack. */
  readonly alerts: number;
  readonly alert_precision: number | null;
  /** Of the events covered by this technique's alerts, the share that are attack events. */
  readonly event_precision: number | null;
  /** Harmonic mean of alert_precision and campaign_recall. */
  readonly f1: number | null;
}

/**
 * Scores of a set of alerts. Definitions:
 * - an alert *covers* the events of its entity between first_seen and last_seen (of its log types);
 * - it *touches* a campaign when it covers at least one of the campaign's events;
 * - alert precision: share of alerts that touch any campaign; campaign recall: share of campaigns
 *   touched by any alert; event precision and recall: the same over covered events.
 */
export interface Scores {
  readonly alerts: number;
  readonly alerts_per_10k_events: number;
  readonly alert_precision: number | null;
  readonly campaign_recall: number | null;
  /** Harmonic mean of alert_precision and campaign_recall. */
  readonly campaign_f1: number | null;
  readonly event_precision: number | null;
  readonly event_recall: number | null;
  readonly event_f1: number | null;
  readonly campaigns_found: string[];
  readonly campaigns_missed: string[];
  readonly by_technique: Record<string, TechniqueScores>;
  /** Campaign recall per campaign kind (brute_force, low_and_slow_spraying, …). */
  readonly by_kind: Record<string, { campaigns: number; found: number; recall: number }>;
}

const ratio = (a: number, b: number): number | null => (b === 0 ? null : a / b);
/** Returns the harmonic mean of a precision and a recall, null when either is undefined. */
function f1(p: number | null, r: number | null): number | null {
  if (p === null || r === null) return null;
  return p + r === 0 ? 0 : (2 * p * r) / (p + r);
}
const round = (x: number | null): number | null => (x === null ? null : Number(x.toFixed(4)));

/**
 * Returns the scores of `alerts` against `truth`; see {@link Scores} for the definitions.
 * @example
 * evaluate(buildAlerts(runDetectors(events).detections), groundTruth(events)).campaign_recall // => 1
 */
export function evaluate(alerts: readonly Alert[], truth: GroundTruth): Scores {
  const covered = new Uint8Array(truth.totalEvents);
  const coveredByTechnique = new Map<string, Uint8Array>();
  const touched = new Set<string>();
  const alertsByTechnique = new Map<string, { alerts: number; hits: number }>();
  let hits = 0;
  for (const alert of alerts) {
    const mine = coveredByTechnique.get(alert.technique) ?? new Uint8Array(truth.totalEvents);
    coveredByTechnique.set(alert.technique, mine);
    let hit = false;
    forEachCovered(truth, alert.entity, Date.parse(alert.first_seen), Date.parse(alert.last_seen), alert.log_types, (row) => {
      covered[row] = 1;
      mine[row] = 1;
      const id = truth.attackId[row];
      if (id !== null) {
        hit = true;
        touched.add(id);
      }
    });
    if (hit) hits++;
    const counts = alertsByTechnique.get(alert.technique) ?? { alerts: 0, hits: 0 };
    counts.alerts++;
    if (hit) counts.hits++;
    alertsByTechnique.set(alert.technique, counts);
  }

  let coveredEvents = 0;
  let coveredAttacks = 0;
  const coveredAttacksByTechnique = new Map<string, number>();
  for (let row = 0; row < truth.totalEvents; row++) {
    if (!covered[row]) continue;
    coveredEvents++;
    const id = truth.attackId[row];
    if (id === null) continue;
    coveredAttacks++;
    const technique = truth.campaigns.get(id)!.technique;
    coveredAttacksByTechnique.set(technique, (coveredAttacksByTechnique.get(technique) ?? 0) + 1);
  }

  const techniques = new Set([...truth.eventsByTechnique.keys(), ...alertsByTechnique.keys()]);
  const byTechnique: Record<string, TechniqueScores> = {};
  for (const technique of [...techniques].sort()) {
    const campaigns = [...truth.campaigns.values()].filter((c) => c.technique === technique);
    const found = campaigns.filter((c) => touched.has(c.id)).length;
    const counts = alertsByTechnique.get(technique) ?? { alerts: 0, hits: 0 };
    const mine = coveredByTechnique.get(technique);
    let mineEvents = 0;
    let mineAttacks = 0;
    if (mine) {
      for (let row = 0; row < truth.totalEvents; row++) {
        if (!mine[row]) continue;
        mineEvents++;
        if (truth.attackId[row] !== null) mineAttacks++;
      }
    }
    const alertPrecision = ratio(counts.hits, counts.alerts);
    const campaignRecall = ratio(found, campaigns.length);
    byTechnique[technique] = {
      campaigns: campaigns.length,
      campaigns_found: found,
      campaign_recall: round(campaignRecall),
      events: truth.eventsByTechnique.get(technique) ?? 0,
      event_recall: round(ratio(coveredAttacksByTechnique.get(technique) ?? 0, truth.eventsByTechnique.get(technique) ?? 0)),
      alerts: counts.alerts,
      alert_precision: round(alertPrecision),
      event_precision: round(ratio(mineAttacks, mineEvents)),
      f1: round(f1(alertPrecision, campaignRecall)),
    };
  }

  const byKind: Record<string, { campaigns: number; found: number; recall: number }> = {};
  for (const c of truth.campaigns.values()) {
    const k = (byKind[c.kind] ??= { campaigns: 0, found: 0, recall: 0 });
    k.campaigns++;
    if (touched.has(c.id)) k.found++;
  }
  for (const k of Object.values(byKind)) k.recall = Number((k.found / k.campaigns).toFixed(4));

  const alertPrecision = ratio(hits, alerts.length);
  const campaignRecall = ratio(touched.size, truth.campaigns.size);
  const eventPrecision = ratio(coveredAttacks, coveredEvents);
  const eventRecall = ratio(coveredAttacks, truth.attackEvents);
  const ids = [...truth.campaigns.keys()].sort();
  return {
    alerts: alerts.length,
    alerts_per_10k_events: Number(((alerts.length / Math.max(1, truth.totalEvents)) * 10_000).toFixed(3)),
    alert_precision: round(alertPrecision),
    campaign_recall: round(campaignRecall),
    campaign_f1: round(f1(alertPrecision, campaignRecall)),
    event_precision: round(eventPrecision),
    event_recall: round(eventRecall),
    event_f1: round(f1(eventPrecision, eventRecall)),
    campaigns_found: ids.filter((id) => touched.has(id)),
    campaigns_missed: ids.filter((id) => !touched.has(id)),
    by_technique: byTechnique,
    by_kind: byKind,
  };
}
