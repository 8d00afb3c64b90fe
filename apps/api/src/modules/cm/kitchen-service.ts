import { lstat } from 'node:fs/promises';
import { finished, Transform, type Readable } from 'node:stream';
import { ConfigurationInvalidError, formatProblem, type CmPlugin, type CmProblem, type CmRegistry } from '@overmind/cm';
import { ArchiveTooLargeError, KitchenStore, type Kitchen } from '@overmind/chef-solo';
import type { KitchenLimits } from '../../config.js';
import type { Actor } from '../../lib/actor.js';
import { ContentTooLargeError, UnprocessableError } from '../../lib/errors.js';
import type { AuditService } from '../audit/audit-service.js';
import { validateAgainst } from '../providers/schema-validator.js';
import type { CmKind } from './cm-registry.js';

export interface KitchenView {
  uploaded: boolean;
  roles: { name: string; description: string | null; runList: string[] }[];
  recipes: { name: string; cookbook: string; description: string | null; dependencies: string[] }[];
  environments: { name: string; description: string | null }[];
  problems: CmProblem[];
}

/** 422 listing every problem, each with its file: what the API answers for a refused kitchen or run list. */
export function problemsError(summary: string, problems: CmProblem[], field: string): UnprocessableError {
  const errors = problems.map((p) => ({ field: p.file ?? field, message: formatProblem(p) }));
  return new UnprocessableError(`${summary}: ${errors.map((e) => e.message).join('; ')}`, { errors, problems });
}

function view(kitchen: Kitchen | null): KitchenView {
  if (!kitchen) return { uploaded: false, roles: [], recipes: [], environments: [], problems: [] };
  const recipes = [...kitchen.cookbooks.values()].flatMap((c) =>
    c.recipes.map((r) => ({
      name: r === 'default' ? `recipe[${c.name}]` : `recipe[${c.name}::${r}]`,
      cookbook: c.name,
      description: r === 'default' ? c.description : null,
      dependencies: Object.keys(c.dependencies),
    })),
  );
  return {
    uploaded: true,
    roles: [...kitchen.roles.values()].map((r) => ({ name: r.name, description: r.description, runList: r.runList })),
    recipes,
    environments: [...kitchen.environments.values()].map((e) => ({ name: e.name, description: e.description })),
    problems: kitchen.problems,
  };
}

/**
 * The one Chef kitchen of this installation (in OVERMIND_KITCHEN_DIR) and the CM plugins bound to it.
 * An upload replaces it only when valid; the plugins re-read it on every call.
 */
export function createKitchenService(deps: { kitchenDir: string; limits: KitchenLimits; cm: CmRegistry<CmKind>; audit: Pick<AuditService, 'record'> }) {
  const store = new KitchenStore(deps.kitchenDir, deps.limits);
  const uploaded = () => lstat(store.currentDir).then(() => true, () => false);
  const target = { type: 'kitchen', id: null };

  return {
    limits: deps.limits,

    async describe(): Promise<KitchenView> {
      return view(await store.load());
    },

    /** Reads `archive` (a .tar.gz stream, e.g. the request body) as it arrives; never holds it whole. */
    async upload(actor: Actor, archive: Readable): Promise<KitchenView> {
      // Our own stream in between: the store destroys what it reads when it stops early, and the
      // request must stay alive to carry the answer.
      let bytes = 0;
      const counted = archive.pipe(new Transform({ transform: (chunk: Buffer, _encoding, done) => ((bytes += chunk.length), done(null, chunk)) }));
      // pipe() does not pass errors on: a client that goes away mid-upload must end the read.
      finished(archive, (err) => err && counted.destroy(err));
      try {
        const kitchen = await store.replaceFromArchive(counted);
        const result = view(kitchen);
        await deps.audit.record(actor, 'kitchen.upload', target, { bytes, roles: result.roles.length, recipes: result.recipes.length });
        return result;
      } catch (err) {
        if (err instanceof ArchiveTooLargeError) {
          await deps.audit.record(actor, 'kitchen.upload', target, { bytes, limit: err.limit }, { outcome: 'failure' });
          throw new ContentTooLargeError(`${err.message}; the previous kitchen stays in place`);
        }
        if (!(err instanceof ConfigurationInvalidError)) throw err;
        await deps.audit.record(actor, 'kitchen.upload', target, { bytes, problems: err.problems.length }, { outcome: 'failure' });
        throw problemsError('Kitchen refused, the previous one stays in place', err.problems, 'body');
      }
    },

    /**
     * Checks a CM plugin's settings (the kitchen directory is the API's, never the caller's) and
     * returns them with defaults applied, without the kitchen directory.
     */
    async checkSettings(kind: CmKind, settings: Record<string, unknown>, field: string): Promise<Record<string, unknown>> {
      if ('kitchenDir' in settings) {
        throw new UnprocessableError(`${field}.kitchenDir is set by the server (OVERMIND_KITCHEN_DIR)`, {
          errors: [{ field: `${field}.kitchenDir`, message: 'is set by the server (OVERMIND_KITCHEN_DIR)' }],
        });
      }
      const factory = await deps.cm.get(kind);
      const { kitchenDir: _dir, ...checked } = validateAgainst<Record<string, unknown>>(factory.settingsSchema, { ...settings, kitchenDir: store.currentDir }, field);
      try {
        factory.create({ ...checked, kitchenDir: store.currentDir });
      } catch (err) {
        throw new UnprocessableError(`${field}: ${(err as Error).message}`, { errors: [{ field, message: (err as Error).message }] });
      }
      return checked;
    },

    /** The plugin of `kind` bound to the current kitchen; throws when none has been uploaded. */
    async plugin(kind: CmKind, settings: Record<string, unknown>): Promise<CmPlugin> {
      if (!(await uploaded())) throw new UnprocessableError('No kitchen has been uploaded yet: PUT /api/v1/kitchen first');
      return (await deps.cm.get(kind)).create({ ...settings, kitchenDir: store.currentDir });
    },
  };
}

export type KitchenService = ReturnType<typeof createKitchenService>;
