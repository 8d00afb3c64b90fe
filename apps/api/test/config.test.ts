import { describe, expect, it } from 'vitest';
import { serverTimeouts } from '../src/app.js';
import { ConfigError, loadConfig } from '../src/config.js';

describe('configuration from the environment', () => {
  it('uses the documented defaults and converts numbers', () => {
    const config = loadConfig({ PORT: '9090' });
    expect(config).toMatchObject({ port: 9090, host: '127.0.0.1', jobTimeoutSeconds: 900, sshWaitSeconds: 300, workerConcurrency: 10 });
    expect(loadConfig({ OVERMIND_SSH_WAIT_SECONDS: '42' }).sshWaitSeconds).toBe(42);
  });

  it('reads the kitchen upload limits, with defaults fit for a kitchen', () => {
    expect(loadConfig({}).kitchenLimits).toEqual({ maxArchiveBytes: 16 * 1024 * 1024, maxUnpackedBytes: 128 * 1024 * 1024, maxEntries: 10_000 });
    const set = loadConfig({ OVERMIND_KITCHEN_MAX_UPLOAD_BYTES: '2048', OVERMIND_KITCHEN_MAX_UNPACKED_BYTES: '4096', OVERMIND_KITCHEN_MAX_ENTRIES: '7' });
    expect(set.kitchenLimits).toEqual({ maxArchiveBytes: 2048, maxUnpackedBytes: 4096, maxEntries: 7 });
    expect(() => loadConfig({ OVERMIND_KITCHEN_MAX_UPLOAD_BYTES: '-1' })).toThrow(/OVERMIND_KITCHEN_MAX_UPLOAD_BYTES/);
    expect(() => loadConfig({ OVERMIND_KITCHEN_MAX_ENTRIES: 'many' })).toThrow(/OVERMIND_KITCHEN_MAX_ENTRIES/);
  });

  it('bounds slow HTTP clients, configurably', () => {
    expect(loadConfig({})).toMatchObject({ httpRequestTimeoutSeconds: 60, httpIdleTimeoutSeconds: 120 });
    const set = loadConfig({ OVERMIND_HTTP_REQUEST_TIMEOUT_SECONDS: '5', OVERMIND_HTTP_IDLE_TIMEOUT_SECONDS: '300' });
    expect(set).toMatchObject({ httpRequestTimeoutSeconds: 5, httpIdleTimeoutSeconds: 300 });
    expect(serverTimeouts(set)).toEqual({
      requestTimeout: 5000,
      connectionTimeout: 300_000,
      http: { requestTimeout: 5000, headersTimeout: 5000, connectionsCheckingInterval: 1000 },
    });
    expect(() => loadConfig({ OVERMIND_HTTP_REQUEST_TIMEOUT_SECONDS: '0' })).toThrow(/OVERMIND_HTTP_REQUEST_TIMEOUT_SECONDS/);
    // Below the event stream's heartbeat, open streams would be closed as idle.
    expect(() => loadConfig({ OVERMIND_HTTP_IDLE_TIMEOUT_SECONDS: '10' })).toThrow(/OVERMIND_HTTP_IDLE_TIMEOUT_SECONDS/);
  });

  it('asks agents for readings every 15 s and keeps 2 hours raw, then 2 days, 14 days and 13 months of averages, each tier outliving the one before', () => {
    expect(loadConfig({}).metrics).toEqual({ readingsIntervalSeconds: 15, retentionSeconds: { raw: 7200, '1m': 2 * 86400, '5m': 14 * 86400, '1h': 395 * 86400 } });
    const set = loadConfig({ OVERMIND_READINGS_INTERVAL_SECONDS: '0', OVERMIND_METRICS_RAW_HOURS: '24', OVERMIND_METRICS_1M_DAYS: '7', OVERMIND_METRICS_5M_DAYS: '30', OVERMIND_METRICS_1H_DAYS: '730' });
    expect(set.metrics).toEqual({ readingsIntervalSeconds: 0, retentionSeconds: { raw: 86400, '1m': 7 * 86400, '5m': 30 * 86400, '1h': 730 * 86400 } });
    expect(() => loadConfig({ OVERMIND_METRICS_5M_DAYS: '1' })).toThrow(/OVERMIND_METRICS_5M_DAYS must keep points at least as long as OVERMIND_METRICS_1M_DAYS/);
    expect(() => loadConfig({ OVERMIND_METRICS_RAW_HOURS: '72' })).toThrow(/OVERMIND_METRICS_1M_DAYS/);
    expect(() => loadConfig({ OVERMIND_READINGS_INTERVAL_SECONDS: '-1' })).toThrow(/OVERMIND_READINGS_INTERVAL_SECONDS/);
  });

  it('evaluates alerts every 15 s and e-mails only with SMTP configured, with a sender, and a login only as a pair', () => {
    expect(loadConfig({}).alerts).toEqual({ evaluateSeconds: 15, notifyRetries: 10, smtp: null });
    const smtp = { OVERMIND_SMTP_HOST: 'mail.example.org', OVERMIND_SMTP_FROM: 'overmind@example.org' };
    expect(loadConfig(smtp).alerts.smtp).toEqual({ host: 'mail.example.org', port: 587, tls: 'starttls', user: null, password: null, from: 'overmind@example.org' });
    expect(() => loadConfig({ OVERMIND_SMTP_HOST: 'mail.example.org' })).toThrow(/OVERMIND_SMTP_FROM is required/);
    expect(() => loadConfig({ ...smtp, OVERMIND_SMTP_USER: 'alerts' })).toThrow(/OVERMIND_SMTP_USER and OVERMIND_SMTP_PASSWORD go together/);
    expect(() => loadConfig({ ...smtp, OVERMIND_SMTP_TLS: 'maybe' })).toThrow(/OVERMIND_SMTP_TLS/);
    expect(() => loadConfig({ OVERMIND_ALERT_EVALUATE_SECONDS: '0' })).toThrow(/OVERMIND_ALERT_EVALUATE_SECONDS/);
  });

  it('refuses a bad value, naming the variable', () => {
    expect(() => loadConfig({ PORT: 'eighty' })).toThrow(ConfigError);
    expect(() => loadConfig({ PORT: 'eighty' })).toThrow(/PORT/);
    expect(() => loadConfig({ OVERMIND_SSH_WAIT_SECONDS: '2' })).toThrow(/OVERMIND_SSH_WAIT_SECONDS/);
    // Running jobs get 10 s to finish on a stop: a shorter bound would cut them off every time.
    expect(() => loadConfig({ OVERMIND_SHUTDOWN_SECONDS: '5' })).toThrow(/OVERMIND_SHUTDOWN_SECONDS/);
    expect(loadConfig({}).shutdownSeconds).toBe(30);
  });

  it('reads the event stream limits, with defaults, and refuses a buffer too small to hold an event', () => {
    expect(loadConfig({}).eventStreams).toEqual({ perUser: 10, total: 1000, maxBufferedBytes: 1048576, recheckSeconds: 60 });
    expect(loadConfig({ OVERMIND_EVENT_STREAMS_PER_USER: '3', OVERMIND_EVENT_STREAMS_MAX: '50', OVERMIND_EVENT_STREAM_BUFFER_BYTES: '65536', OVERMIND_EVENT_STREAM_RECHECK_SECONDS: '5' }).eventStreams)
      .toEqual({ perUser: 3, total: 50, maxBufferedBytes: 65536, recheckSeconds: 5 });
    expect(() => loadConfig({ OVERMIND_EVENT_STREAM_BUFFER_BYTES: '8000' })).toThrow(/OVERMIND_EVENT_STREAM_BUFFER_BYTES/);
    expect(() => loadConfig({ OVERMIND_EVENT_STREAMS_PER_USER: '0' })).toThrow(/OVERMIND_EVENT_STREAMS_PER_USER/);
  });

  it('refuses an SSH wait that a configure job would not live to see', () => {
    expect(() => loadConfig({ OVERMIND_SSH_WAIT_SECONDS: '900' })).toThrow(/OVERMIND_SSH_WAIT_SECONDS \(900\) must be less than OVERMIND_JOB_TIMEOUT_SECONDS \(900\)/);
    expect(loadConfig({ OVERMIND_SSH_WAIT_SECONDS: '900', OVERMIND_JOB_TIMEOUT_SECONDS: '1800' }).sshWaitSeconds).toBe(900);
    // Unset, it shrinks to fit short job timeouts.
    expect(loadConfig({ OVERMIND_JOB_TIMEOUT_SECONDS: '60' }).sshWaitSeconds).toBe(48);
  });

  it('trusts no proxy by default; OVERMIND_TRUST_PROXY takes addresses and CIDR ranges, a hop count, or true', () => {
    expect(loadConfig({}).trustProxy).toBe(false);
    expect(loadConfig({ OVERMIND_TRUST_PROXY: 'false' }).trustProxy).toBe(false);
    expect(loadConfig({ OVERMIND_TRUST_PROXY: 'true' }).trustProxy).toBe(true);
    expect(loadConfig({ OVERMIND_TRUST_PROXY: '2' }).trustProxy).toBe(2);
    expect(loadConfig({ OVERMIND_TRUST_PROXY: '10.0.0.0/8, 127.0.0.1,fd00::/8 ,::1, loopback' }).trustProxy)
      .toEqual(['10.0.0.0/8', '127.0.0.1', 'fd00::/8', '::1', 'loopback']);
    for (const bad of ['yes', '10.0.0.0/33', '10.0.0/8', 'proxy.example', ',', '0', '::1/129', '10.0.0.1/8/2']) {
      expect(() => loadConfig({ OVERMIND_TRUST_PROXY: bad }), bad).toThrow(ConfigError);
      expect(() => loadConfig({ OVERMIND_TRUST_PROXY: bad }), bad).toThrow(/OVERMIND_TRUST_PROXY/);
    }
  });

  it('gives API tokens 90 days by default and at most 365, both configurable', () => {
    expect(loadConfig({}).apiTokenDays).toEqual({ default: 90, max: 365 });
    expect(loadConfig({ OVERMIND_API_TOKEN_DAYS: '7', OVERMIND_API_TOKEN_MAX_DAYS: '30' }).apiTokenDays).toEqual({ default: 7, max: 30 });
    expect(() => loadConfig({ OVERMIND_API_TOKEN_DAYS: '400' })).toThrow(/OVERMIND_API_TOKEN_DAYS \(400\) must not exceed OVERMIND_API_TOKEN_MAX_DAYS \(365\)/);
    expect(() => loadConfig({ OVERMIND_API_TOKEN_MAX_DAYS: '5000' })).toThrow(/OVERMIND_API_TOKEN_MAX_DAYS/);
  });

  it('limits failed logins to 5 per username and address and 30 per address in 5 minutes, unless configured', () => {
    expect(loadConfig({}).loginLimits).toEqual({ windowSeconds: 300, perUserAndAddress: 5, perAddress: 30 });
    expect(loadConfig({ OVERMIND_LOGIN_WINDOW_SECONDS: '60', OVERMIND_LOGIN_FAILURES_PER_USER: '3', OVERMIND_LOGIN_FAILURES_PER_ADDRESS: '200' }).loginLimits)
      .toEqual({ windowSeconds: 60, perUserAndAddress: 3, perAddress: 200 });
    expect(() => loadConfig({ OVERMIND_LOGIN_FAILURES_PER_USER: '0' })).toThrow(/OVERMIND_LOGIN_FAILURES_PER_USER/);
  });
});
