import { describe, expect, it } from "vitest";
import { detectBruteForce } from "../../lib/detect/brute-force";
import { detectCredentialStuffing } from "../../lib/detect/credential-stuffing";
import { detectDistributedSpray } from "../../lib/detect/distributed-spray";
import { detectPasswordSpray } from "../../lib/detect/password-spray";
import { T0, eventFrame, series } from "../helpers";

const fail = { type: "login_failed" };
const empty = eventFrame([]);

describe("detectBruteForce (10 failures from one source to one account in 5 min)", () => {
  it("flags 10 failures in 4.5 min, naming source, account and count", () => {
    const logs = eventFrame(series(10, 0, 30, () => ({ ...fail, ip: "203.0.113.7", user: "alice" })));
    const [d, ...rest] = detectBruteForce(logs);
    expect(rest).toEqual([]);
    expect(d).toMatchObject({
      rule: "brute_force", technique: "T1110.001", entity: { type: "source", value: "203.0.113.7" },
      start: T0, end: T0 + 270_000, eventCount: 10, observed: 10, expected: 10, score: 1,
    });
    expect(d.evidence).toMatchObject({ account: "alice", failures: 10, succeeded: false });
  });

  it("does not flag 9 failures (one under the threshold)", () => {
    expect(detectBruteForce(eventFrame(series(9, 0, 10, () => fail)))).toEqual([]);
  });

  it("does not flag 10 failures spread over 6 min: at most 8 fall in any 5-min window", () => {
    // Failures at 0, 40, …, 360 s; the window ending at 360 s holds 80…360 s: 8 of them.
    expect(detectBruteForce(eventFrame(series(10, 0, 40, () => fail)))).toEqual([]);
  });

  it("does not add up failures to different accounts", () => {
    const logs = eventFrame([...series(5, 0, 10, () => ({ ...fail, user: "a" })), ...series(5, 1, 10, () => ({ ...fail, user: "b" }))]);
    expect(detectBruteForce(logs)).toEqual([]);
  });

  it("reports a success from the same source after the failures", () => {
    const logs = eventFrame([...series(10, 0, 5, () => fail), { s: 80, type: "login_success" }]);
    const [d] = detectBruteForce(logs);
    expect(d.evidence).toMatchObject({ succeeded: true, success_at: "2025-01-01T00:01:20Z" });
    expect(d.end).toBe(T0 + 80_000);
    expect(d.eventCount).toBe(11);
  });

  it("returns nothing for no events, and rejects a bad option", () => {
    expect(detectBruteForce(empty)).toEqual([]);
    expect(() => detectBruteForce(empty, { failures: 1 })).toThrow("invalid failures: 1");
    expect(() => detectBruteForce(empty, { windowMinutes: 0 })).toThrow("invalid windowMinutes: 0");
  });
});

describe("detectPasswordSpray (more than 10 accounts from one source in 10 min, above its own 3σ)", () => {
  const spray = (accounts: number, step: number, start = 0, ip = "198.51.100.9") =>
    series(accounts, start, step, (k) => ({ ...fail, ip, user: `user_${k}` }));

  it("flags 11 distinct accounts in 5 min", () => {
    const [d, ...rest] = detectPasswordSpray(eventFrame(spray(11, 30)));
    expect(rest).toEqual([]);
    expect(d).toMatchObject({ rule: "password_spray", entity: { type: "source", value: "198.51.100.9" }, observed: 11, eventCount: 11 });
    expect(d.evidence).toMatchObject({ accounts: 11, attempts_per_account: [1, 1], usual_accounts: 0 });
  });

  it("does not flag 10 accounts, nor 11 spread over 11 min (at most 10 in any 10-min window)", () => {
    expect(detectPasswordSpray(eventFrame(spray(10, 30)))).toEqual([]);
    expect(detectPasswordSpray(eventFrame(spray(11, 66)))).toEqual([]);
  });

  it("counts tries per account", () => {
    const logs = eventFrame([...spray(11, 20), ...spray(11, 20, 5)]);
    expect(detectPasswordSpray(logs)[0].evidence).toMatchObject({ accounts: 11, attempts_per_account: [2, 2] });
  });

  it("does not flag a source that always fails on 11 accounts (a shared gateway), but does flag its jump to 40", () => {
    // Ten bursts of 11 accounts, one an hour, over 60 ten-minute windows: mean 110/60 = 1.833,
    // variance 10·121/60 − 1.833² = 16.81, sd 4.10, bound 1.833 + 3·4.10 = 14.13 > 11.
    const gateway = Array.from({ length: 10 }, (_, h) => spray(11, 10, h * 3600, "10.9.9.9")).flat();
    expect(detectPasswordSpray(eventFrame(gateway))).toEqual([]);
    const jump = [...gateway, ...series(40, 9.5 * 3600, 5, (k) => ({ ...fail, ip: "10.9.9.9", user: `other_${k}` }))];
    const found = detectPasswordSpray(eventFrame(jump));
    expect(found).toHaveLength(1);
    expect(found[0].observed).toBe(40);
  });

  it("returns nothing for no events", () => {
    expect(detectPasswordSpray(empty)).toEqual([]);
  });
});

describe("detectCredentialStuffing (more than 20 accounts and more than 20 sources in 5 min)", () => {
  const stuff = (accounts: number, sources: number) =>
    series(Math.max(accounts, sources), 0, 1, (k) => ({ ...fail, user: `leak_${k % accounts}`, ip: `45.0.0.${k % sources}` }));

  it("flags 21 accounts from 21 sources within a minute, as one service-wide detection", () => {
    const [d, ...rest] = detectCredentialStuffing(eventFrame(stuff(21, 21)));
    expect(rest).toEqual([]);
    expect(d).toMatchObject({ rule: "credential_stuffing", technique: "T1110.004", entity: { type: "service", value: "authentication" }, observed: 21 });
    expect(d.evidence).toMatchObject({ accounts: 21, sources: 21, attempts: 21 });
  });

  it("needs both: 21 accounts from 20 sources, or 20 accounts from 21 sources, is not enough", () => {
    expect(detectCredentialStuffing(eventFrame(stuff(21, 20)))).toEqual([]);
    expect(detectCredentialStuffing(eventFrame(stuff(20, 21)))).toEqual([]);
  });

  it("lists successful logins from the attacking sources", () => {
    const logs = eventFrame([...stuff(21, 21), { s: 30, type: "login_success", user: "leak_3", ip: "45.0.0.3" }]);
    expect(detectCredentialStuffing(logs)[0].evidence).toMatchObject({ successful_logins: ["leak_3"] });
  });
});

describe("detectDistributedSpray (one account, failures from more than 3 sources and at least 5 failures in 24 h)", () => {
  const slow = (sources: number, failures: number, step: number) =>
    series(failures, 0, step, (k) => ({ ...fail, user: "alice", ip: `77.0.0.${k % sources}` }));

  it("flags 4 sources and 5 failures within 20 h", () => {
    const [d, ...rest] = detectDistributedSpray(eventFrame(slow(4, 5, 5 * 3600)));
    expect(rest).toEqual([]);
    expect(d).toMatchObject({ rule: "distributed_spray", entity: { type: "user", value: "alice" }, observed: 4, eventCount: 5 });
    expect(d.evidence).toMatchObject({ sources: 4, failures: 5 });
  });

  it("does not flag 3 sources, 4 failures, or 5 failures from 4 sources spread over 28 h", () => {
    expect(detectDistributedSpray(eventFrame(slow(3, 5, 3600)))).toEqual([]);
    expect(detectDistributedSpray(eventFrame(slow(4, 4, 3600)))).toEqual([]);
    expect(detectDistributedSpray(eventFrame(slow(4, 5, 7 * 3600)))).toEqual([]);
  });

  it("returns nothing for a single quiet user", () => {
    expect(detectDistributedSpray(eventFrame([{ s: 0, ...fail }]))).toEqual([]);
  });
});
