// The SourceRevision seam: what src/git hands to src/compose and the actors.

export interface GitCredentials {
  /** HTTPS basic auth user (defaults to `x-access-token` style when only a token is given). */
  username?: string;
  /** HTTPS token or password. Never written into a URL, a remote or a config file. */
  token?: string;
  /** PEM/OpenSSH private key for ssh:// and scp-like URLs. */
  sshPrivateKey?: string;
  /** Contents of a known_hosts file; when absent StrictHostKeyChecking follows `strictHostKeyChecking`. */
  sshKnownHosts?: string;
  /** Default true when sshKnownHosts is given, `accept-new` otherwise. */
  strictHostKeyChecking?: boolean;
}

export interface SourceSpec {
  /** Stack name, used in error messages and for the export directory. */
  stack: string;
  /** Repository: a local path, `file://`, `https://`, `http://`, `ssh://` or `user@host:path`. */
  url: string;
  /** Branch to follow (default `main`) unless `ref` pins a tag or a full commit sha. */
  branch?: string;
  ref?: string;
  /** Compose file path inside the repository; must exist in the commit. */
  composePath: string;
  credentials?: GitCredentials;
}

export interface SourceRevision {
  stack: string;
  /** The branch, tag or sha that was resolved. */
  ref: string;
  /** Full 40-hex commit sha. */
  commit: string;
  /** Absolute directory holding the files of that commit: `<STACKS_DATA_DIR>/<stack>/<commit>/`. */
  directory: string;
  /** Absolute path of the compose file inside `directory`. */
  composeFile: string;
  /** Paths changed since the previously exported commit of this stack (empty when unknown or first). */
  changedPaths: string[];
  /** True when the commit is the one exported last time (nothing new in git). */
  unchanged: boolean;
}

export interface GitSource {
  /** Resolve the ref (ls-remote first; fetch only on change) and export the commit's files. */
  resolve(spec: SourceSpec): Promise<SourceRevision>;
  /** Export a specific, already known commit again (rollback to an older deployment). */
  checkout(spec: SourceSpec, commit: string): Promise<SourceRevision>;
  /** Remove the exports of a stack (stack deleted). */
  forget(stack: string): Promise<void>;
}
