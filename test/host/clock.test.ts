import { describe, expect, it } from "vitest";
import { HostClock } from "../../src/host/clock.js";

describe("HostClock (manual)", () => {
  it("runs due tasks in time order while advancing", () => {
    const clock = new HostClock("manual", 1_000_000_000n);
    const seen: string[] = [];
    clock.every(100, () => seen.push(`tick@${clock.elapsedMs()}`));
    clock.after(150, () => seen.push(`once@${clock.elapsedMs()}`));
    clock.advance(250);
    expect(seen).toEqual(["tick@100", "once@150", "tick@200"]);
    expect(clock.wallNs()).toBe(1_000_000_000n + 250_000_000n);
  });

  it("cancelled tasks never run and real clocks refuse advance()", () => {
    const clock = new HostClock("manual");
    let ran = false;
    clock.after(10, () => (ran = true)).cancel();
    clock.advance(20);
    expect(ran).toBe(false);
    expect(() => new HostClock("real").advance(1)).toThrow(/manual/);
  });
});

describe("HostClock.wallNs in manual mode", () => {
  it("follows every advance, fractional milliseconds included, and repeats between them", () => {
    const clock = new HostClock("manual", 1_700_000_000_000_000_000n);
    expect(clock.wallNs()).toBe(1_700_000_000_000_000_000n);
    expect(clock.wallNs()).toBe(1_700_000_000_000_000_000n);
    clock.advance(1.5);
    expect(clock.wallNs()).toBe(1_700_000_000_001_500_000n);
    clock.advance(0);
    expect(clock.wallNs()).toBe(1_700_000_000_001_500_000n);
    clock.advance(2000);
    expect(clock.wallNs()).toBe(1_700_000_002_001_500_000n);
  });
});
