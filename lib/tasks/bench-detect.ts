/**
 * One detection-scaling case of `npm run bench`, run in its own process so that its peak memory is
 * its own: the default scenario with USERS accounts (200 make about 1.1M events), then the whole
 * detector suite. Prints one JSON line: events, seconds to generate, seconds to detect, detections.
 * Usage: node dist/tasks/bench-detect.js USERS
 */
import { runDetectors } from "../detect/suite";
import { generateScenario } from "../generate/scenario";
import { withoutLabels } from "../schema";

function main(users: number): void {
  const started = performance.now();
  const { events } = generateScenario({ users });
  const generated = performance.now();
  const run = runDetectors(withoutLabels(events));
  const detected = performance.now();
  const seconds = (ms: number): number => Number((ms / 1000).toFixed(2));
  console.log(JSON.stringify({ users, events: events.height, generate_seconds: seconds(generated - started), detect_seconds: seconds(detected - generated), detections: run.detections.length }));
}

if (require.main === module) main(Number(process.argv[2]));
