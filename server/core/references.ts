/** How config values refer to secrets and settings kept elsewhere (`os.environ/NAME`, `keychain/NAME`). */

/** Looks a secret or setting up by name; undefined when it does not exist. */
export type ReferenceResolver = (name: string) => string | undefined;

/**
 * Reference schemes by prefix, e.g. `{ 'os.environ/': (name) => env[name] }`. A string value that is
 * exactly `<prefix><name>` is a reference; more schemes (such as `keychain/`) are added by passing more entries.
 */
export type ReferenceResolvers = Readonly<Record<string, ReferenceResolver>>;
