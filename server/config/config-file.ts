/**
 * config.yaml as the running gateway sees it: loaded (and reloaded when it changes), and edited by the model
 * admin API. Edits change the YAML text in place (comments, order and unknown keys stay as written), give the
 * entry a stable `model_info.id`, keep secrets as references, are checked — parsed, validated and, through
 * `apply`, built into a router — before the file is touched, and are written atomically (temp file + rename,
 * mode 0600). Every method is synchronous, so edits are serialized by construction: one runs to completion
 * (read, check, apply, write) before the next request's edit starts.
 */
import { createHash, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { Logger } from '../observe/logger.ts';
import type { SecretStore } from '../secrets/secret-store.ts';
import { writeFileAtomic } from '../core/atomic-write.ts';
import { ConfigError } from './errors.ts';
import { parseConfig, type LoadConfigOptions, type LoadedConfig } from './load.ts';
import { assignModelIds } from './model-ids.ts';
import { editModelList, ModelListEditError, type ModelListEdit, type ModelPatch } from './model-list-edit.ts';
import { ModelEditError } from './model-edit-error.ts';
import { deleteUnusedSecrets, keepSecretsOut, type SecretContext } from './model-secrets.ts';
import { keychainNamesIn } from './secret-names.ts';
import type { ModelEntry } from '../core/config-types.ts';

export type { ModelPatch } from './model-list-edit.ts';
export { ModelEditError, type ModelEditFailure } from './model-edit-error.ts';

export interface ConfigFileOptions extends LoadConfigOptions {
  /** Runs on every loaded config before it is used, e.g. the CLI's --temperature defaults on `resolved`. */
  prepare?: (loaded: LoadedConfig) => void;
  /** Where a literal secret sent to /model/new or /model/update is kept (config.yaml gets `keychain/NAME`). Without one such a request is refused. */
  secrets?: SecretStore;
}

/** Puts a config into service (the gateway's reload); throws, keeping the old one, when it cannot run. */
export type ApplyConfig = (loaded: LoadedConfig) => void;

/** A model_list entry as /model/new takes it. */
export interface ModelInput {
  model_name: string;
  litellm_params: Record<string, unknown>;
  model_info?: Record<string, unknown>;
}

export interface ModelChange {
  /** The config now in the file (and applied, when `apply` was given). */
  loaded: LoadedConfig;
  /** The entry added, changed or removed, as written (references intact), with its `model_info.id`. */
  entry: ModelEntry;
}

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

export class ConfigFile {
  #current: { hash: string; loaded: LoadedConfig } | undefined;
  /** Content that failed to load, so the same broken file is reported once, not on every change event. */
  #rejectedHash: string | undefined;

  constructor(
    readonly path: string,
    private readonly options: ConfigFileOptions = {},
    private readonly logger?: Logger,
  ) {}

  /** The config last loaded or written: what the gateway runs when every load was applied. */
  get current(): LoadedConfig | undefined {
    return this.#current?.loaded;
  }

  /** Reads and parses the file and makes it current. Throws ConfigError. */
  load(): LoadedConfig {
    const text = this.read();
    const loaded = this.parse(text);
    this.#current = { hash: sha256(text), loaded };
    this.#rejectedHash = undefined;
    return loaded;
  }

  /**
   * For the watcher: when the file's content differs from the current config (and from the last rejected
   * one), parses it and hands it to `apply`; returns the new config, or undefined when there is nothing new
   * (e.g. the change was the gateway's own write). Throws ConfigError (or what `apply` throws) and keeps the
   * current config when the file cannot be used.
   */
  reloadIfChanged(apply: ApplyConfig): LoadedConfig | undefined {
    let text: string;
    try {
      text = this.read();
    } catch (error) {
      if (this.#rejectedHash === 'unreadable') return undefined;
      this.#rejectedHash = 'unreadable';
      throw error;
    }
    if (this.#rejectedHash === 'unreadable') this.#rejectedHash = undefined;
    const hash = sha256(text);
    if (hash === this.#current?.hash || hash === this.#rejectedHash) return undefined;
    try {
      const loaded = this.parse(text);
      apply(loaded);
      this.#current = { hash, loaded };
      this.#rejectedHash = undefined;
      return loaded;
    } catch (error) {
      this.#rejectedHash = hash;
      throw error;
    }
  }

  /** The entry with this id in the current config, as written (references intact). */
  entry(id: string): ModelEntry | undefined {
    return this.current?.raw.model_list.find((entry) => entry.model_info?.id === id);
  }

  /** Appends an entry (with a new uuid as `model_info.id` unless it brings its own). */
  addModel(input: ModelInput, apply?: ApplyConfig): ModelChange {
    return this.edit(apply, (before) => {
      const given = input.model_info?.id;
      if (given !== undefined && (typeof given !== 'string' || given === ''))
        throw new ModelEditError('invalid', '`model_info.id` must be a non-empty string.');
      const id = given ?? randomUUID();
      if (indexOf(before, id) !== -1) {
        throw new ModelEditError('conflict', `A model with id \`${id}\` already exists; leave model_info.id out to get a new one, or use /model/update.`);
      }
      const stored = keepSecretsOut(this.secretContext(), id, input.litellm_params, {
        modelName: input.model_name,
        usedElsewhere: keychainNamesIn(before.raw),
      });
      const entry = { model_name: input.model_name, litellm_params: stored.params, model_info: { ...input.model_info, id } };
      return { edit: { kind: 'add', entry }, id, undo: stored.undo };
    });
  }

  /**
   * Changes an entry: `model_name` replaced, `litellm_params` and `model_info` merged key by key (a null value
   * removes the key). The entry keeps its id, which is written into it.
   */
  updateModel(id: string, patch: ModelPatch, apply?: ApplyConfig): ModelChange {
    return this.edit(apply, (before) => {
      const index = this.find(before, id);
      const current = before.raw.model_list[index];
      const stored = patch.litellm_params
        ? keepSecretsOut(this.secretContext(), id, patch.litellm_params, {
            model: current?.litellm_params?.model,
            modelName: patch.model_name ?? current?.model_name,
            current: current?.litellm_params,
            usedElsewhere: keychainNamesIn({ ...before.raw, model_list: before.raw.model_list.filter((_, i) => i !== index) }),
          })
        : undefined;
      const edit: ModelListEdit = {
        kind: 'update',
        index,
        patch: {
          ...(patch.model_name !== undefined ? { model_name: patch.model_name } : {}),
          ...(stored ? { litellm_params: stored.params } : {}),
          model_info: { ...patch.model_info, id },
        },
      };
      return { edit, id, undo: stored?.undo ?? (() => undefined), old: before.raw.model_list[index] };
    });
  }

  deleteModel(id: string, apply?: ApplyConfig): ModelChange {
    return this.edit(apply, (before) => {
      const index = this.find(before, id);
      return { edit: { kind: 'remove', index }, id, undo: () => undefined, old: before.raw.model_list[index] };
    });
  }

  /** The file's text as it is now (for export, and the import's diff). Throws ConfigError when it cannot be read. */
  readText(): string {
    return this.read();
  }

  /** `text` parsed as this file's content would be (same environment, references, CLI defaults), not used. Throws ConfigError. */
  check(text: string): LoadedConfig {
    return this.parse(text);
  }

  /**
   * Replaces the file's content with what `change` makes of it (it gets the text, and its config when that
   * loads). The new text is checked like every edit — parsed and, through `apply`, put into service — before it
   * is written atomically, and it becomes current, so the watcher does not load it again. `undo` (returned by
   * `change`) runs when anything after it fails. `requireValid` (default true): a file that does not load now is
   * not changed (ModelEditError 'conflict'); false lets an import replace a broken file.
   */
  rewrite(
    change: (text: string, before: LoadedConfig | undefined) => { text: string; undo?: () => void },
    apply?: ApplyConfig,
    options: { requireValid?: boolean; describe?: string } = {},
  ): LoadedConfig {
    const text = this.readForEdit();
    let before: LoadedConfig | undefined;
    if (options.requireValid ?? true) {
      before = this.parseForEdit(text);
    } else {
      try {
        before = this.parse(text);
      } catch (error) {
        if (!(error instanceof ConfigError)) throw error;
      }
    }
    const planned = change(text, before);
    const undo = planned.undo ?? (() => undefined);
    let after: LoadedConfig;
    try {
      after = this.parseResult(planned.text);
      if (apply) this.applyResult(apply, after);
    } catch (error) {
      undo();
      throw error;
    }
    try {
      writeFileAtomic(this.path, planned.text, { mode: 0o600 });
    } catch (error) {
      undo();
      const running = before ?? this.current;
      if (apply && running) this.restore(apply, running);
      throw new ModelEditError('unavailable', `Could not write ${this.path}: ${(error as Error).message}. Nothing was changed.`);
    }
    this.#current = { hash: sha256(planned.text), loaded: after };
    this.#rejectedHash = undefined;
    this.logger?.info(`${this.path}: ${options.describe ?? 'rewritten'}; ${after.raw.model_list.length} models`);
    return after;
  }

  private edit(apply: ApplyConfig | undefined, plan: (before: LoadedConfig) => EditPlan): ModelChange {
    const text = this.readForEdit();
    const before = this.parseForEdit(text);
    const { edit, id, undo, old } = plan(before);
    let after: LoadedConfig;
    let next: string;
    try {
      next = this.editText(text, edit);
      after = this.parseResult(next);
      if (apply) this.applyResult(apply, after);
    } catch (error) {
      undo();
      throw error;
    }
    try {
      writeFileAtomic(this.path, next, { mode: 0o600 });
    } catch (error) {
      undo();
      // The new config may already be running: put the one still in the file back.
      if (apply) this.restore(apply, before);
      throw new ModelEditError('unavailable', `Could not write ${this.path}: ${(error as Error).message}. Nothing was changed.`);
    }
    this.#current = { hash: sha256(next), loaded: after };
    this.#rejectedHash = undefined;
    if (old) deleteUnusedSecrets(this.secretContext(), old, after.raw);
    const entry = edit.kind === 'remove' ? old : after.raw.model_list.find((candidate) => candidate.model_info?.id === id);
    if (!entry) throw new Error(`model ${id} is missing after the edit`);
    this.logger?.info(
      `${this.path}: ${edit.kind === 'add' ? 'added' : edit.kind === 'update' ? 'updated' : 'removed'} model ${entry.model_name} (id ${id}); ${after.raw.model_list.length} models`,
    );
    return { loaded: after, entry };
  }

  private read(): string {
    try {
      return readFileSync(this.path, 'utf8');
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      const message = code === 'ENOENT' ? 'file not found — it was moved or deleted; put it back' : `cannot be read: ${(error as Error).message}`;
      throw new ConfigError(this.path, [{ path: '', message }]);
    }
  }

  private parse(text: string): LoadedConfig {
    const loaded = parseConfig(text, this.path, this.options);
    assignModelIds(loaded);
    this.options.prepare?.(loaded);
    return loaded;
  }

  private readForEdit(): string {
    try {
      return this.read();
    } catch (error) {
      throw new ModelEditError('conflict', (error as Error).message);
    }
  }

  /** The file as it is now (the user may have changed it by hand since it was loaded): it must be valid to be edited. */
  private parseForEdit(text: string): LoadedConfig {
    try {
      return this.parse(text);
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      throw new ModelEditError(
        'conflict',
        `${error.message}\nFix the file first; until then it cannot be edited through the API (the running config is kept).`,
      );
    }
  }

  private parseResult(text: string): LoadedConfig {
    try {
      return this.parse(text);
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      throw new ModelEditError('invalid', `The change would make the config invalid, so nothing was written. ${error.message}`);
    }
  }

  private editText(text: string, edit: ModelListEdit): string {
    try {
      return editModelList(text, edit);
    } catch (error) {
      if (error instanceof ModelListEditError) throw new ModelEditError('conflict', `${this.path}: ${error.message}`);
      throw error;
    }
  }

  private applyResult(apply: ApplyConfig, after: LoadedConfig): void {
    try {
      apply(after);
    } catch (error) {
      throw new ModelEditError('invalid', `The change cannot be put into service, so nothing was written: ${(error as Error).message}`);
    }
  }

  private find(before: LoadedConfig, id: string): number {
    const index = indexOf(before, id);
    if (index === -1) throw new ModelEditError('not_found', `There is no model with id \`${id}\`. GET /model/info lists each model's model_info.id.`);
    if (before.raw.model_list.findIndex((entry, i) => i > index && entry.model_info?.id === id) !== -1) {
      throw new ModelEditError('conflict', `Several entries in ${this.path} have model_info.id \`${id}\`; give each its own id first.`);
    }
    return index;
  }

  private secretContext(): SecretContext {
    return { store: this.options.secrets, resolvers: this.options.resolvers, logger: this.logger };
  }

  private restore(apply: ApplyConfig, before: LoadedConfig): void {
    try {
      apply(before);
    } catch (error) {
      this.logger?.error(`Could not go back to the config in ${this.path}: ${(error as Error).message}`);
    }
  }
}

interface EditPlan {
  edit: ModelListEdit;
  id: string;
  undo: () => void;
  old?: ModelEntry | undefined;
}

function indexOf(loaded: LoadedConfig, id: string): number {
  return loaded.raw.model_list.findIndex((entry) => entry.model_info?.id === id);
}
