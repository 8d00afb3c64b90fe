import type { JsonSchema, OperationContext } from '@overmind/provider';
import type { CmError, CmProblem } from './cm-errors.js';
import type { CmHost } from './cm-host.js';

/**
 * What to apply, in terms no tool owns: an ordered run list of named items (the plugin defines their
 * syntax: Chef's `role[web]`, `recipe[nginx::ssl]`), node attributes, and an environment name.
 */
export interface CmConfiguration {
  runList: string[];
  /** Node-level attributes (a JSON object); the plugin merges them with the repository's. */
  attributes?: Record<string, unknown>;
  /**
   * Node-level attributes that are secrets (a JSON object), merged over `attributes` at the same
   * precedence. A plugin hands them to its tool only the way secrets travel: in a file only root can
   * read, removed after the run, never on a command line, never in its own log lines or results. The
   * tool's output may still repeat one (a recipe that prints it): callers mask the values in what they record.
   */
  secretAttributes?: Record<string, unknown>;
  /** An environment of the repository, or null/absent for the tool's default. */
  environment?: string | null;
}

/** Per-call context: streamed log lines and a signal that aborts the work. */
export type CmContext = OperationContext;

/** The node to configure: its name for the tool, and a way to run commands and write files on it. */
export interface CmTarget {
  name: string;
  host: CmHost;
}

export interface PrepareResult {
  tool: string;
  /** Version the tool reports, e.g. `18.4.12`. */
  version: string;
  /** True when prepare installed the tool now. */
  installed: boolean;
}

export type StepStatus = 'ok' | 'failed' | 'skipped';

export interface StepReport {
  name: string;
  status: StepStatus;
  durationMs: number;
}

interface ApplyOutcome {
  /** Every step in order, including those skipped after a failure and the cleanup steps. */
  steps: StepReport[];
  durationMs: number;
}

export interface ApplySucceeded extends ApplyOutcome {
  ok: true;
  /** The tool's own closing words, e.g. `Chef Infra Client finished, 3/9 resources updated in 12 seconds`. */
  summary: string | null;
}

export interface ApplyFailed extends ApplyOutcome {
  ok: false;
  failedStep: string;
  /** Always typed: ConfigurationInvalidError, ToolMissingError or ApplyFailedError (with the step). */
  error: CmError;
}

export type ApplyResult = ApplySucceeded | ApplyFailed;

/** Something a run list can name, e.g. `{ name: 'role[web]', type: 'role' }`. */
export interface CmItem {
  name: string;
  type: string;
  description: string | null;
}

export interface CmEnvironment {
  name: string;
  description: string | null;
}

/** What a plugin can configure, read from its repository. */
export interface CmDescription {
  kind: string;
  items: CmItem[];
  environments: CmEnvironment[];
  /** Problems found in the repository; a repository with problems is not applied. */
  problems: CmProblem[];
}

/** A configured CM plugin instance, bound to its repository and settings. */
export interface CmPlugin {
  readonly kind: string;
  /** Checks that the tool is on the node, installing it when the plugin is configured to. */
  prepare(target: CmTarget, ctx?: CmContext): Promise<PrepareResult>;
  /** Applies a configuration. Never rejects: every failure is in the result, naming its step. */
  apply(target: CmTarget, configuration: CmConfiguration, ctx?: CmContext): Promise<ApplyResult>;
  describe(): Promise<CmDescription>;
  /** Checks a configuration against the repository without touching a node; empty when valid. */
  validate(configuration: CmConfiguration): Promise<CmProblem[]>;
}

/** Static description plus a factory: what the registry loads. */
export interface CmPluginFactory<S = Record<string, unknown>> {
  kind: string;
  displayName: string;
  description: string;
  /** JSON Schema of the plugin's settings. */
  settingsSchema: JsonSchema;
  create(settings: S): CmPlugin;
}
