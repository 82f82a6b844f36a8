/**
 * threatlab: the "basic AI threat detection system" tutorial as a tested TypeScript library.
 * Stages follow the tutorial: generate → analyse → detect → visualise → alert.
 *
 * This is the public API, named on purpose: what the notebooks, the README and an analyst's own
 * scripts use. Everything else is internal to its module (import it by path if you must; it may
 * change without notice).
 */

// The data's shape: columns, value sets, and which columns are labels (ground truth)
export { TUTORIAL_COLUMNS, EVENT_COLUMNS, REQUIRED_EVENT_COLUMNS, COLUMNS, LOG_TYPES, LOCATIONS, THREAT_LEVELS, labelColumns, withoutLabels } from "./schema";

// Errors a user can act on
export { InputError, OptionError } from "./errors";

// The low floor: paths, versions, seeded randomness, statistics, frames
export { projectRoot, samplePath, SAMPLE_DATA } from "./shared/paths";
export { environmentReport, packageVersion } from "./shared/environment";
export { createRng, hashString, type Rng } from "./shared/rng";
export { quantileLinear } from "./shared/quantile";
export { median, mad, robustZ } from "./shared/robust";
export { countryByCode, distanceKm, COUNTRIES } from "./shared/geo";
export { type Frame, isLazyFrame, lazyFrame } from "./shared/frame";

// Step 2: generating logs and labelled scenarios
export { generateLogs, createLogGenerator, GENERATE_DEFAULTS, type GenerateLogsOptions } from "./generate/generate-logs";
export { writeGeneratedLogs, writeScenario, type WriteGeneratedOptions, type WrittenScenario } from "./generate/write-generated";
export { generateScenario, scenarioPieces, scenarioPreset, SCENARIO_PRESETS, type Scenario, type ScenarioOptions } from "./generate/scenario";
export { campaignsFrame, CAMPAIGN_KINDS } from "./generate/campaigns";
export { writeSamples, SAMPLES } from "./generate/samples/samples";

// Reading and writing: the tutorial's CSV, Parquet, and real log formats
export { readLogs, scanLogs, type ReadLogsOptions } from "./io/read-logs";
export { writeLogs, writeLogsInChunks, sinkParquet, neutralizeFormulas } from "./io/write-logs";
export { ingestLogs, scanEvents, sniffFormat, type IngestOptions, type Ingested } from "./io/ingest/ingest";
export { LOG_FORMATS, FORMATS } from "./io/formats/registry";
export { formatsText, formatsMarkdown } from "./io/formats/describe";
export { describeIngest } from "./io/ingest/records";
export { writeAtomic } from "./io/atomic-write";
export { toCsv } from "./io/csv-export";
export { analyzeStreams, estimatedEvents } from "./io/streaming-choice";

// Step 3: analysis
export { valueCounts, countByLogType, countByThreatLevel } from "./analyze/value-counts";
export { meanBytes, threatRows, dailyCounts, eventVolume } from "./analyze/describe";
export { histogram, columnHistogram } from "./analyze/histogram";
export { topEntities } from "./analyze/top-entities";
export { summarizeTutorial, summarizeTutorialLazy, formatTutorialSummary } from "./report/tutorial-summary";
export { toDanfo, valueCountsDanfo, meanDanfo } from "./analyze/danfo";

// Step 4: detection: the tutorial's rule, the suite, and each rule
export { anomalyThreshold, flagByteAnomalies, zScoreExpr, detectPercentileRule } from "./detect/percentile-rule";
export { runDetectors, runDetectorsAsync, RULES, RULE_NAMES, DEFAULT_RULES, parseRuleList, parseRuleOptions, type DetectOptions, type DetectionRun, type RuleName } from "./detect/suite";
export { explainRule, rulesText, rulesMarkdown, rulesFrame } from "./detect/describe-rules";
export { summarizeDetection } from "./alerts/summaries";
export { detectBruteForce } from "./detect/brute-force";
export { detectPasswordSpray } from "./detect/password-spray";
export { detectCredentialStuffing } from "./detect/credential-stuffing";
export { detectDistributedSpray } from "./detect/distributed-spray";
export { detectOffHours } from "./detect/off-hours";
export { detectVolumeExfiltration, detectBytesBaseline } from "./detect/volume";
export { detectLargeUpload } from "./detect/large-upload";
export { detectUnusualLocation, detectImpossibleTravel } from "./detect/location";
export { detectRecon } from "./detect/recon";
export { detectKerberoasting } from "./detect/kerberoasting";
export { detectAsrepRoasting } from "./detect/asrep-roasting";
export { detectLateralMovement } from "./detect/lateral-movement";
export { detectToolTransfer } from "./detect/tool-transfer";
export { detectRdpBruteForce } from "./detect/rdp-brute-force";
export { detectNetworkScan } from "./detect/network-scan";
export { detectCommandAndControl } from "./detect/command-and-control";
export { detectIsolationForest, scoreIsolationForest } from "./detect/anomaly-model";
export { IsolationForest } from "./detect/isolation-forest";
export { type Detection } from "./detect/detection";
export { type Rule } from "./detect/rule";

// Step 6: alerts
export { tutorialAlerts, formatTutorialAlert, formatTutorialAlerts, type TutorialAlert } from "./alerts/tutorial-alerts";
export { buildAlerts, alertsToJsonl, type Alert } from "./alerts/alerts";
export { alertsToCsv } from "./report/write-report";
export { formatAlertsTable } from "./alerts/format";

// Evaluation against the labels
export { groundTruth } from "./evaluate/ground-truth";
export { evaluate, type Scores } from "./evaluate/evaluate";
export { evaluateDetectors, labelledWindowScores, type Evaluation } from "./evaluate/evaluate-detectors";
export { evaluateGrid, formatGrid } from "./evaluate/grid";
export { evaluateLabelledSources, formatLabelledSources } from "./evaluate/labelled-sources";
export { precisionRecallCurve, averagePrecision } from "./evaluate/pr-curve";
export { formatEvaluation, evaluationFrame, techniqueFrame } from "./report/evaluation-report";

// Step 5: figures (Plotly { data, layout })
export { plotThreatLevels, plotBytesHistogram, plotAnomalyCounts, plotDailyVolume, plotEventVolume } from "./visualize/panels";
export { plotDashboard, combineFigures } from "./visualize/dashboard";
export { plotLogTypes, plotTopEntities, plotOverview } from "./visualize/overview";
export { plotTimeline, plotUserHeatmap, plotUserCountries, plotScoreDistribution, plotPrecisionRecall } from "./visualize/detection-figures";
export { shareChart, plotlyText, COLORS, type Figure } from "./visualize/figure";

// Notebook 11: an adaptive attacker against the detectors, and the evasion frontier it finds
export { redTeam, frontierRows, frontierFrame, noiseFrame, formatRedTeam, formatAmount, DEFENCE_LAYERS, type RedTeamOptions, type RedTeamResult, type Frontier, type FrontierRow, type PlayedRound, type DefenceLayer, type BackgroundNoise, type Feedback } from "./evaluate/redteam";
export { ATTACKER_GOALS, GOALS, goalSpec, type AttackerGoal, type CampaignShape, type GoalSpec } from "./evaluate/attacker-goals";
export { plotFrontier, plotAttackerRounds } from "./visualize/redteam-figures";

// Reports, notebooks and exercises
export { writeReport } from "./report/write-report";
export { renderReportHtml } from "./report/html-report";
export { showFigure, showTable } from "./notebook/display";
export { dataPath, chosenLogs, analyseLogs, ingestFrame, alertsFrame, alertCountsFrame } from "./notebook/own-logs";
export { check } from "./exercises/check";
export { EXERCISES } from "./exercises/exercises";
export { escapeHtml, notebookHtml } from "./html";
