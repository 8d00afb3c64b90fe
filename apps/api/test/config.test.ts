import { describe, expect, it } from 'vitest';
import { serverTimeouts } from '../src/app.js';
import { ConfigError, loadConfig } from '../src/config.js';

describe('configuration from the environment', () => {
  it('uses the documented defaults and converts numbers', () => {
    const config = loadConfig({ PORT: '9090' });
    expect(config).toMatchObject({ port: 9090, host: '127.0.0.1', jobTimeoutSeconds: 900, sshWaitSeconds: 300, workerConcurrency: 10 });
    expect(loadConfig({ OVERMIND_SSH_WAIT_SECONDS: '42' }).sshWaitSeconds).toBe(42);
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

  it('refuses a bad value, naming the variable', () => {
    expect(() => loadConfig({ PORT: 'eighty' })).toThrow(ConfigError);
    expect(() => loadConfig({ PORT: 'eighty' })).toThrow(/PORT/);
    expect(() => loadConfig({ OVERMIND_SSH_WAIT_SECONDS: '2' })).toThrow(/OVERMIND_SSH_WAIT_SECONDS/);
  });

  it('refuses an SSH wait that a configure job would not live to see', () => {
    expect(() => loadConfig({ OVERMIND_SSH_WAIT_SECONDS: '900' })).toThrow(/OVERMIND_SSH_WAIT_SECONDS \(900\) must be less than OVERMIND_JOB_TIMEOUT_SECONDS \(900\)/);
    expect(loadConfig({ OVERMIND_SSH_WAIT_SECONDS: '900', OVERMIND_JOB_TIMEOUT_SECONDS: '1800' }).sshWaitSeconds).toBe(900);
    // Unset, it shrinks to fit short job timeouts.
    expect(loadConfig({ OVERMIND_JOB_TIMEOUT_SECONDS: '60' }).sshWaitSeconds).toBe(48);
  });
});
