export interface DigitalOceanCredentials {
  /** Personal access token (or OAuth token) for API v2. */
  token: string;
}

export interface DigitalOceanSettings {
  /** API root; tests point it at a loopback replay server. */
  apiUrl?: string;
  /** How often a droplet action's status is polled, in ms. */
  pollIntervalMs?: number;
  /** How long to wait for a droplet action to complete, in ms. */
  actionTimeoutMs?: number;
  /** Per-request timeout, in ms. */
  requestTimeoutMs?: number;
  /** Items per page on list calls (1..200). */
  perPage?: number;
}

export const DIGITALOCEAN_DEFAULTS: Required<DigitalOceanSettings> = {
  apiUrl: 'https://api.digitalocean.com',
  pollIntervalMs: 3000,
  actionTimeoutMs: 300_000,
  requestTimeoutMs: 30_000,
  perPage: 200,
};
