import { describe, expect, it } from 'vitest';
import { validateTiming, DEFAULT_TIMING, TimingError } from '../coordination/timing.ts';
import { shareRange, partitionLease, partitionOfLease } from '../coordination/partitions.ts';
import { instanceId, INSTANCE_ID_PATTERN } from '../coordination/identity.ts';
import { redact } from '../coordination/redact.ts';
import { classifyNamespace, NAMESPACE_TABLES } from '../coordination/stores/store.ts';

describe('timing rules', () => {
  it('accepts the defaults and the seed timing', () => {
    expect(validateTiming(DEFAULT_TIMING)).toEqual({ leaseMs: 15_000, renewDeadlineMs: 10_000, retryMs: 2_000 });
    expect(validateTiming({ leaseMs: 5_000, renewDeadlineMs: 3_000, retryMs: 1_000 }).leaseMs).toBe(5_000);
  });
  it('names the broken rule', () => {
    expect(() => validateTiming({ leaseMs: 5_000, renewDeadlineMs: 5_000, retryMs: 1_000 })).toThrow(/leaseMs \(5000\) must be greater than renewDeadlineMs/);
    expect(() => validateTiming({ leaseMs: 5_000, renewDeadlineMs: 1_200, retryMs: 1_000 })).toThrow(/1\.2 × retryMs/);
    expect(() => validateTiming({ leaseMs: -1, renewDeadlineMs: 1, retryMs: 1 })).toThrow(TimingError);
  });
});

describe('partitions', () => {
  it('splits the stream as the seed does and shares fairly', () => {
    expect([shareRange(2, 2), shareRange(2, 3), shareRange(4, 1), shareRange(5, 2)])
      .toEqual([{ min: 1, max: 1 }, { min: 0, max: 1 }, { min: 4, max: 4 }, { min: 2, max: 3 }]);
    // 256 over 24: between 10 and 11 each, which can add up to exactly 256 (16 × 11 + 8 × 10).
    expect(shareRange(256, 24)).toEqual({ min: 10, max: 11 });
    expect(shareRange(256, 64)).toEqual({ min: 4, max: 4 });
    expect(partitionLease('auto', 0, 1)).toBe('auto');
    expect(partitionLease('auto', 1, 2)).toBe('auto.p1');
    expect(partitionOfLease('auto', 'auto.p1', 2)).toBe(1);
  });
});

describe('identity and redaction', () => {
  it('gives one 16-hex-char ID per process', () => {
    expect(instanceId()).toMatch(INSTANCE_ID_PATTERN);
    expect(instanceId()).toBe(instanceId());
  });
  it('removes credentials from URIs inside any text', () => {
    expect(redact('mongodb+srv://bob:s3cr3t@x.mongodb.net/db failed')).toBe('mongodb+srv://bob:***@x.mongodb.net/db failed');
    expect(redact('postgres://tok@h/db?password=abc&x=1')).toBe('postgres://***@h/db?password=***&x=1');
    expect(redact('sqlite:/tmp/x')).toBe('sqlite:/tmp/x');
  });
});

describe('namespace ownership', () => {
  it('calls a namespace ours only when it holds our marker and nothing else', () => {
    expect(classifyNamespace([])).toBe('empty');
    expect(classifyNamespace([...NAMESPACE_TABLES])).toBe('baton');
    expect(classifyNamespace(['baton_meta', 'leases'])).toBe('baton');
    expect(classifyNamespace([...NAMESPACE_TABLES, 'users'])).toBe('foreign');
    expect(classifyNamespace(['leases', 'logs'])).toBe('foreign');
  });
});
