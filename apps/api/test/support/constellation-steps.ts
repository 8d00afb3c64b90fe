/** Requests the constellation tests make again and again: as an operator, expecting a status. */
import { expect } from 'vitest';
import { waitForJob, type TestApp } from './test-app.js';

type Method = 'GET' | 'POST' | 'PUT';

/** `app` is asked at each call: a test file's app is made in its beforeAll. */
export function constellationSteps(app: () => TestApp, applyMs: number) {
  const api = async (method: Method, url: string, payload?: unknown) => app().request('operator', { method, url: `/api/v1${url}`, ...(payload === undefined ? {} : { payload: payload as object }) });
  const ok = async (method: Method, url: string, payload?: unknown, status = 200) => {
    const res = await api(method, url, payload);
    expect(res.statusCode, res.body).toBe(status);
    return res.json();
  };
  return {
    api,
    ok,
    /** Applies and waits; the finished parent job. */
    apply: async (id: string) => waitForJob(app(), (await ok('POST', `/constellations/${id}/apply`, undefined, 202)).id, applyMs),
    /** Destroys (the name confirms) and waits; the finished parent job. */
    destroy: async (id: string, confirm: string) => waitForJob(app(), (await ok('POST', `/constellations/${id}/destroy`, { confirm }, 202)).id, applyMs),
    /** A job's log lines, oldest first. */
    logLines: async (jobId: string): Promise<string[]> => (await ok('GET', `/jobs/${jobId}/logs?limit=5000`)).items.map((l: { line: string }) => l.line),
  };
}
