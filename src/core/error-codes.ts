/** Process exit codes, the single source of truth (DESIGN §7). */
export const ExitCode = {
  ok: 0,
  failure: 1,
  usage: 2,
  validation: 3,
  verification: 4,
} as const;

export type ErrorKind = Exclude<keyof typeof ExitCode, 'ok'>;

/** One row of the table: the exit kind, what the code means, and the hint shown when the thrower gives none. */
export interface ErrorCodeSpec {
  kind: ErrorKind;
  summary: string;
  hint?: string;
}

/**
 * Every code pm's library throws, in one table; docs/errors.md is generated from it.
 * A new code goes here first (tsc refuses an unknown one); codes are never reused for another meaning.
 */
export const ERROR_CODES = {
  // usage (exit 2)
  USAGE: { kind: 'usage', summary: 'a flag, argument or value on the command line is wrong', hint: "see 'pm help <command>'" },

  // store and local state
  ALREADY_INSTALLED: { kind: 'failure', summary: 'that version of the plugin is already installed', hint: 'add --force to reinstall it' },
  CONFIG_FILE_CORRUPT: { kind: 'failure', summary: "PM_HOME's config.json is not a JSON object", hint: 'fix or remove the file; pm writes it again' },
  CONFIG_INVALID: { kind: 'validation', summary: "a plugin's configuration values do not match its config schema", hint: "see the accepted keys with 'pm plugin-config <name> --json'" },
  CONFIG_NONE: { kind: 'usage', summary: 'the plugin declares no configuration', hint: 'its plugin.json has no "config" schema, so there is nothing to set' },
  CONFIG_NOT_SET: { kind: 'usage', summary: 'the configuration key has no value set', hint: "see what is set with 'pm plugin-config <name>'" },
  CONFIG_SCHEMA_INVALID: { kind: 'validation', summary: "the plugin's config schema cannot be compiled", hint: 'ask the plugin author to fix "config" in plugin.json (pm plugin-validate reports it)' },
  CONFIG_UNKNOWN_KEY: { kind: 'usage', summary: "the key is not in the plugin's config schema", hint: "see the keys with 'pm plugin-config <name> --json'" },
  DEPENDENCY_CONFLICT: { kind: 'failure', summary: "installed plugins need versions of a dependency that no one version satisfies", hint: "see each plugin's dependencies with 'pm plugin-info <name>'" },
  DEPENDENCY_DISABLED: { kind: 'failure', summary: 'a dependency of the plugin is disabled or missing', hint: 'enable or install the dependencies first' },
  DEPENDENCY_MISSING: { kind: 'failure', summary: 'a dependency of the plugin is not installed', hint: 'install the missing plugins first, or use pm marketplace-install, which installs dependencies' },
  DEPENDENT_WOULD_BREAK: { kind: 'failure', summary: 'installing this version would break a plugin that depends on it', hint: 'install a version that satisfies the dependents, or update or uninstall them first' },
  DOWNGRADE: { kind: 'failure', summary: 'the version is older than the installed one', hint: 'add --allow-downgrade to install the older version' },
  DOWNLOAD_FAILED: { kind: 'failure', summary: 'a package URL could not be downloaded', hint: 'check the URL and your network connection, then retry' },
  DOWNLOAD_TOO_LARGE: { kind: 'verification', summary: 'a package URL serves more bytes than the size limit', hint: 'raise the limit with --max-unpacked only if you trust this source' },
  DUPLICATE_PACKAGE: { kind: 'usage', summary: 'one install names the same plugin twice', hint: 'install one version of each plugin at a time' },
  HOME_UNUSABLE: { kind: 'failure', summary: 'PM_HOME is a file, cannot be read, or does not exist and cannot be created', hint: 'point --home (or PM_HOME) at a folder you can write, such as ~/.pm' },
  HAS_DEPENDENTS: { kind: 'failure', summary: 'other plugins depend on this one', hint: 'disable or uninstall the dependents first, or add --force' },
  INTEGRITY_MISMATCH: { kind: 'verification', summary: "the package's integrity differs from the expected one", hint: 'the package changed since it was published; get it again from its publisher' },
  LINK_ESCAPES_FOLDER: { kind: 'validation', summary: 'a folder to link holds a symbolic link that leads outside it', hint: 'replace the link with the files it points to, or move them into the plugin folder' },
  LINK_MISSING: { kind: 'failure', summary: 'a linked plugin folder no longer exists', hint: "link it again with 'pm plugin-link <dir>', or remove it with 'pm plugin-uninstall <name>'" },
  MANIFEST_MISMATCH: { kind: 'verification', summary: "the package's plugin.json names another plugin or version than asked for", hint: 'the package is not what it claims to be; get it again from its publisher' },
  NOT_INSTALLED: { kind: 'failure', summary: 'no plugin of that name is installed', hint: "see the installed plugins with 'pm plugin-list'" },
  SOURCE_NOT_FOUND: { kind: 'usage', summary: 'the install source is not a folder, .tgz or URL that exists', hint: 'give a plugin folder, a .tgz made by pm plugin-package, or an http(s) URL of one' },
  STATE_CORRUPT: { kind: 'failure', summary: "PM_HOME's state.json cannot be read", hint: "restore it from a backup, or move it aside and reinstall your plugins; 'pm doctor' checks the store" },
  STORE_LOCKED: { kind: 'failure', summary: 'another pm process holds the store lock', hint: 'wait for that pm to finish and try again' },

  // tool pins of server plugins (core/store/pins.ts, pm plugin-tools-accept)
  NOT_A_SERVER_PLUGIN: { kind: 'usage', summary: 'the plugin is a module plugin; only server plugins have pinned tools', hint: "see a plugin's kind with 'pm plugin-info <name>'" },
  PIN_CORRUPT: { kind: 'failure', summary: "a server plugin's pin file (PM_HOME/pins/<name>.json) cannot be read", hint: 'move the file aside; the next start of the server records its tools again' },
  PIN_MISSING: { kind: 'failure', summary: 'the server plugin has no pinned tool list yet', hint: 'its first start records one (pm serve --mcp answers tools/list by starting it once)' },
  TOOL_NOT_PINNED: { kind: 'failure', summary: 'the server offers a tool that is not in its pinned list', hint: "review the change with 'pm plugin-tools-accept <name>'" },
  TOOLS_CHANGED_AGAIN: { kind: 'failure', summary: "the server's tools changed again since the list shown for acceptance", hint: "run 'pm plugin-tools-accept <name>' again to see the new difference" },
  TOOLS_DECLARED: { kind: 'usage', summary: 'the plugin declares its tools in plugin.json, so the declared list is the pin', hint: 'a new version of the plugin changes its declared tools; there is nothing to accept' },
  TOOLS_NOT_CHANGED: { kind: 'failure', summary: 'the server reported the pinned tools; there is no change to accept', hint: "see the pin with 'pm plugin-info <name>'" },

  // MCP client configs (core/client-config): pm client-setup
  CLIENT_UNKNOWN: { kind: 'usage', summary: 'pm does not know how to configure that MCP client', hint: 'use one of claude-desktop, claude-code, cursor, vscode, windsurf, codex' },
  CLIENT_CONFIG_INVALID: { kind: 'failure', summary: "the client's config file is not valid JSON or TOML, or not the shape the client reads; it was left untouched", hint: 'fix the file (the client cannot read it either), or give another one with --config' },
  CLIENT_CONFIG_UNEDITABLE: { kind: 'failure', summary: "pm could not edit the client's config file without changing other parts of it; it was left untouched", hint: 'edit the file by hand: the entry is shown by --print' },
  CLIENT_ENTRY_TAKEN: { kind: 'failure', summary: "the client's config already has a server of that name that is not pm", hint: 'pick another entry name with --name' },

  // server plugin sources (core/sources): npm:, pypi:, mcp-add
  SOURCE_PREFIX_UNKNOWN: { kind: 'usage', summary: 'the install source starts with a prefix pm does not know', hint: 'known prefixes: npm:<package>[@range], pypi:<package>[==version]; or give a folder, .tgz or http(s) URL' },
  SERVER_NAME_INVALID: { kind: 'usage', summary: 'the plugin name given or derived from the package is not a valid plugin name', hint: 'give one with --name (lower-case letters, digits and dashes, starting with a letter, at most 50)' },
  SERVER_NAME_TAKEN: { kind: 'failure', summary: 'a plugin of that name is already installed', hint: "pick another name, or remove the installed one with 'pm plugin-uninstall <name>'" },
  SERVER_ENV_INVALID: { kind: 'usage', summary: 'an --env value is not KEY=VALUE with a valid variable name', hint: 'write --env KEY=VALUE (letters, digits and _; not starting with a digit)' },
  SERVER_COMMAND_MISSING: { kind: 'usage', summary: 'mcp-add was given no command after --', hint: 'put the command after --, e.g. pm mcp-add notes -- python3 server.py' },
  PERMISSIONS_WIDENED: { kind: 'validation', summary: 'the new version asks for more permissions than the installed one, and they were not accepted', hint: 'read the added permissions shown, then run plugin-update again with --yes (or answer yes on a terminal)' },
  CONSENT_REQUIRED: { kind: 'usage', summary: 'the install needs the permissions accepted, and there is no terminal to ask on', hint: 'read the permissions shown, then run again with --yes' },
  NPM_UNAVAILABLE: { kind: 'failure', summary: 'the npm command could not be run', hint: 'install Node.js with npm (npm must be on PATH), then retry' },
  NPM_INSTALL_FAILED: { kind: 'failure', summary: 'npm could not resolve or fetch the package', hint: 'check the package name and range, your network and your .npmrc registry settings, then retry' },
  NPM_INSTALL_SCRIPT: { kind: 'failure', summary: 'the package or one of its dependencies needs an install script, which pm does not run', hint: 'use a package that needs no install script, or build a plugin folder yourself and install that' },
  NPM_NO_BIN: { kind: 'failure', summary: 'the npm package has no program (bin) pm could run as the server', hint: 'choose one of the listed bins with --bin NAME, or pick the package that ships the server' },
  PYTHON_MISSING: { kind: 'failure', summary: 'python3 (3.8 or newer) could not be run for a pypi: install', hint: 'install Python 3 with its venv module: apt-get install python3 python3-venv (Debian, Ubuntu) or dnf install python3 (Fedora)' },
  PYTHON_VENV_MISSING: { kind: 'failure', summary: 'python3 cannot create a virtual environment with pip (no venv or ensurepip module)', hint: 'apt-get install python3-venv (Debian, Ubuntu); dnf install python3 (Fedora) includes it' },
  PYPI_SPEC_INVALID: { kind: 'usage', summary: 'the text after pypi: is not a package name with an optional ==version', hint: 'write pypi:<package>[==<version>], e.g. pypi:mcp-server-fetch==2025.4.7' },
  PYPI_NOT_FOUND: { kind: 'failure', summary: 'pip found no such package or version on the configured index', hint: 'check the name and version, and pip\'s index settings (PIP_INDEX_URL, PIP_FIND_LINKS, pip.conf)' },
  PYPI_SDIST_ONLY: { kind: 'failure', summary: 'the package (or a dependency) has no wheel for this Python, only a source distribution, whose build runs code', hint: 'add --allow-sdist to build it from source (this runs the package\'s build code), or use a version that publishes wheels' },
  PYPI_INSTALL_FAILED: { kind: 'failure', summary: 'pip could not install the package into the plugin\'s virtual environment', hint: 'read pip\'s message above; check the package, its dependencies and pip\'s index settings, then retry' },
  PYPI_NO_SCRIPT: { kind: 'failure', summary: 'the Python package has no console script pm could run as the server', hint: 'choose one of the listed scripts with --bin NAME, or pick the package that ships the server' },
  SOURCE_NOT_UPDATABLE: { kind: 'usage', summary: 'the plugin was not installed from a source pm can re-resolve', hint: 'give the new version: pm plugin-update <name> <dir|tgz|url>' },

  // the MCP Registry's server.json (core/mcp-registry): plugin-export, plugin-install registry:
  EXPORT_NAME_MISSING: { kind: 'usage', summary: 'no registry name was given and none can be derived from the manifest', hint: 'give --name io.github.<owner>/<plugin>, or add a GitHub "repository" URL to plugin.json' },
  EXPORT_NAME_INVALID: { kind: 'usage', summary: 'the registry name is not in reverse-DNS form with one slash', hint: 'e.g. io.github.<owner>/<plugin> or com.example/<plugin>' },
  EXPORT_NO_PACKAGE: { kind: 'usage', summary: 'the plugin has no npm, PyPI or .mcpb package for server.json to list', hint: 'give --package-url <url> --file-sha256 <hex> of its .mcpb, or export a plugin installed from npm: or pypi:' },
  EXPORT_PACKAGE_INVALID: { kind: 'usage', summary: '--package-url and --file-sha256 must be given together, as an http(s) URL and 64 lower-case hex digits', hint: 'sha256sum the .mcpb you published and give its URL' },

  // file system (Node system errors mapped in core/fs/system-error.ts)
  FS_EXISTS: { kind: 'failure', summary: 'a file or folder is in the way of one pm has to create', hint: 'move it aside, then run the command again' },
  FS_IS_A_FOLDER: { kind: 'failure', summary: 'a folder is where pm expects a file', hint: 'move the folder aside, then run the command again' },
  FS_NOT_A_FOLDER: { kind: 'failure', summary: 'a file is where pm expects a folder', hint: 'move the file aside (or choose another --home), then run the command again' },
  FS_NOT_FOUND: { kind: 'failure', summary: 'a file or folder pm needs does not exist', hint: 'check the path' },
  FS_NO_SPACE: { kind: 'failure', summary: 'the disk (or quota) is full', hint: 'free some space, then run the command again; nothing was changed' },
  FS_PERMISSION_DENIED: { kind: 'failure', summary: 'pm may not read or write a path', hint: 'fix the permissions of the path, or choose another --home' },
  FS_READ_ONLY: { kind: 'failure', summary: 'the file system is mounted read-only', hint: 'point --home (or PM_HOME) at a writable folder' },
  FS_TOO_MANY_FILES: { kind: 'failure', summary: 'the process ran out of file descriptors', hint: "raise the limit (ulimit -n) and run the command again" },

  // packages, tarballs and extraction
  PACK_FILE_CHANGED: { kind: 'failure', summary: 'a file changed while it was being packaged', hint: 'stop whatever is writing to the plugin folder (a build or watcher), then package again' },
  PACK_UNSUPPORTED_FILE: { kind: 'validation', summary: 'the plugin folder holds a link, device or other non-regular file', hint: 'replace it with the file it points to, or add it to .pmignore' },
  PACKAGE_CORRUPT: { kind: 'verification', summary: 'the .tgz cannot be read', hint: 'download or package it again' },
  PACKAGE_MANIFEST_INVALID: { kind: 'validation', summary: "the package's plugin.json is not valid", hint: "check the plugin with 'pm plugin-validate' and package it again" },
  PACKAGE_MANIFEST_TOO_LARGE: { kind: 'verification', summary: "the package's plugin.json is larger than 1 MiB", hint: 'this is not a pm package' },
  PACKAGE_NAME_MISMATCH: { kind: 'verification', summary: 'the package holds another plugin than its provenance names', hint: 'do not install it; the publisher signed the wrong name' },
  PACKAGE_NO_MANIFEST: { kind: 'verification', summary: 'the .tgz has no package/plugin.json', hint: "this is not a pm package; make one with 'pm plugin-package'" },
  PACKAGE_NOT_FOUND: { kind: 'usage', summary: 'the .tgz does not exist', hint: 'check the path of the .tgz' },
  PACKAGE_VERSION_MISMATCH: { kind: 'verification', summary: 'the package holds another version than its provenance names', hint: 'do not install it; the publisher signed the wrong version' },
  TAR_ABSOLUTE_PATH: { kind: 'verification', summary: 'a tar entry has an absolute path', hint: 'do not install this package; tell its publisher' },
  TAR_BAD_MANIFEST: { kind: 'verification', summary: "the package's plugin.json is not valid JSON", hint: 'do not install this package; tell its publisher' },
  TAR_CORRUPT: { kind: 'verification', summary: 'the package is not a valid tar archive', hint: 'download or package it again' },
  TAR_DEVICE: { kind: 'verification', summary: 'a tar entry is a device file', hint: 'do not install this package; tell its publisher' },
  TAR_DUPLICATE: { kind: 'verification', summary: 'a tar entry appears twice', hint: 'do not install this package; tell its publisher' },
  TAR_EMPTY: { kind: 'verification', summary: 'the package has no entries', hint: "make the package with 'pm plugin-package'" },
  TAR_FIFO: { kind: 'verification', summary: 'a tar entry is a FIFO', hint: 'do not install this package; tell its publisher' },
  TAR_LINK: { kind: 'verification', summary: 'a tar entry is a hard or symbolic link', hint: 'packages hold regular files and folders only; package it again with pm plugin-package' },
  TAR_MANIFEST_TOO_LARGE: { kind: 'verification', summary: "the package's plugin.json is larger than 1 MiB", hint: 'do not install this package; tell its publisher' },
  TAR_NO_MANIFEST: { kind: 'verification', summary: 'the package has no package/plugin.json', hint: "this is not a pm package; make one with 'pm plugin-package'" },
  TAR_NOT_GZIP: { kind: 'verification', summary: 'the package is not gzip data', hint: 'download or package it again' },
  TAR_NOT_PACKAGE: { kind: 'verification', summary: 'a tar entry is outside package/', hint: "make the package with 'pm plugin-package'" },
  TAR_PATH_TRAVERSAL: { kind: 'verification', summary: 'a tar entry climbs out of the package', hint: 'do not install this package; tell its publisher' },
  TAR_RATIO: { kind: 'verification', summary: 'the package decompresses more than the allowed ratio (a decompression bomb)', hint: 'do not install this package; tell its publisher' },
  TAR_SETUID: { kind: 'verification', summary: 'a tar entry has setuid, setgid or sticky bits', hint: 'do not install this package; tell its publisher' },
  TAR_TOO_LARGE: { kind: 'verification', summary: 'the package unpacks to more than the size limit', hint: 'raise the limit with --max-unpacked only if you trust this package' },
  TAR_TOO_MANY_ENTRIES: { kind: 'verification', summary: 'the package has more entries than the limit', hint: 'do not install this package; tell its publisher' },
  TAR_TRUNCATED: { kind: 'verification', summary: 'the gzip data ends early', hint: 'download the package again' },
  TAR_UNSUPPORTED_ENTRY: { kind: 'verification', summary: 'a tar entry has an unsupported type', hint: 'do not install this package; tell its publisher' },
  TARBALL_CHANGED: { kind: 'verification', summary: 'the package changed after it was signed or checked', hint: 'do not install it; download the package again' },

  // manifests, validation, build
  ENGINE_INVALID: { kind: 'validation', summary: 'an engines range in plugin.json is not a semver range', hint: 'ask the plugin author to fix plugin.json (pm plugin-validate reports it)' },
  ENGINE_MISMATCH: { kind: 'failure', summary: 'the plugin needs another version of pm or Node', hint: 'upgrade pm or Node, or install a version of the plugin that supports them' },
  MCPB_CONFIG_MISSING: { kind: 'usage', summary: "a required user_config value of the bundle was not given", hint: 'give it with --config KEY=VALUE, or install in a terminal to be asked' },
  MCPB_MANIFEST_INVALID: { kind: 'validation', summary: "the bundle's manifest.json is missing or not a valid MCP Bundle manifest (0.1-0.4)", hint: "the bundle's author can check it with 'mcpb validate'" },
  MCPB_NOT_FOUND: { kind: 'usage', summary: 'the .mcpb file does not exist', hint: 'give the path of an .mcpb file' },
  MCPB_SIGNATURE_INVALID: { kind: 'verification', summary: "the bundle's signature block is damaged or does not match its content", hint: 'the bundle was changed after it was signed; do not install it' },
  MCPB_SIGNER_UNTRUSTED: { kind: 'verification', summary: 'the bundle is signed by an X.509 certificate you do not trust', hint: 'trust the signer with pm keys-trust-x509 <cert.pem>, or add --allow-unsigned' },
  MCPB_SUBSTITUTION_UNKNOWN: { kind: 'validation', summary: 'the bundle uses a ${...} variable pm cannot map onto its substitutions', hint: 'ask the bundle author; pm maps ${__dirname}, ${user_config.X} and the path variables' },
  X509_CERT_INVALID: { kind: 'usage', summary: 'the file is not an X.509 certificate', hint: 'give a PEM file (-----BEGIN CERTIFICATE-----) or a DER certificate' },
  MANIFEST_INVALID: { kind: 'validation', summary: 'plugin.json does not match the schema', hint: 'fix plugin.json (pm plugin-validate shows every problem) and try again' },
  MANIFEST_INVALID_JSON: { kind: 'validation', summary: 'plugin.json is not valid JSON', hint: 'fix the JSON syntax (no comments or trailing commas in plugin.json)' },
  MANIFEST_MISSING: { kind: 'validation', summary: 'the folder has no plugin.json', hint: 'a plugin folder needs a plugin.json; create one with pm plugin-create' },
  MANIFEST_NOT_FILE: { kind: 'validation', summary: 'plugin.json is not a regular file (a folder, device or FIFO)', hint: 'plugin.json must be a regular file' },
  MANIFEST_NOT_UTF8: { kind: 'validation', summary: 'plugin.json is not valid UTF-8', hint: 'save the file as UTF-8' },
  MANIFEST_TOO_DEEP: { kind: 'validation', summary: 'plugin.json is nested deeper than pm reads', hint: 'flatten the data: pm reads JSON nested at most 64 levels deep' },
  MANIFEST_TOO_LARGE: { kind: 'validation', summary: 'plugin.json is larger than 1 MiB', hint: 'move data out of plugin.json' },
  MANIFEST_UNREADABLE: { kind: 'failure', summary: 'plugin.json exists but cannot be read', hint: "check the file's permissions" },
  NO_TESTS: { kind: 'usage', summary: 'the plugin has no test files', hint: 'add a test file such as test/plugin.test.js (pm plugin-create writes one)' },
  PLUGIN_DIR_MISSING: { kind: 'usage', summary: 'the plugin folder does not exist or is not a folder', hint: 'give the plugin folder (the one holding plugin.json)' },
  PLUGIN_INVALID: { kind: 'validation', summary: 'the plugin folder does not pass validation', hint: "fix the errors listed above ('pm plugin-validate' shows them too)" },
  PLUGIN_NOT_FOUND: { kind: 'usage', summary: 'no plugin folder or enabled plugin of that name', hint: 'check the name or path' },
  REPORTER_UNKNOWN: { kind: 'usage', summary: 'unknown test reporter', hint: 'use spec, tap or junit' },
  TEST_CONFIG_UNKNOWN_PLUGIN: { kind: 'usage', summary: 'createTestHost was given config for a plugin it does not hold', hint: 'give config only for the plugins passed to createTestHost' },
  TEST_HOST_NO_PLUGIN: { kind: 'usage', summary: 'createTestHost was called without a plugin folder', hint: 'pass { plugin: <plugin folder> }' },
  TS_SYNTAX: { kind: 'validation', summary: "a TypeScript source of the plugin has a syntax error", hint: 'fix the syntax error, then run the command again' },
  TSCONFIG_INVALID: { kind: 'validation', summary: "the plugin's tsconfig.json cannot be parsed", hint: 'fix the JSON in tsconfig.json' },
  TSCONFIG_OUTSIDE: { kind: 'validation', summary: 'tsconfig.json points outside the plugin folder', hint: 'keep rootDir and outDir inside the plugin (the defaults are src and dist)' },

  // untrusted JSON (core/json/parse-untrusted.ts); callers usually re-throw under their own code
  JSON_NOT_UTF8: { kind: 'validation', summary: 'a JSON file is not valid UTF-8', hint: 'save the file as UTF-8' },
  JSON_SYNTAX: { kind: 'validation', summary: 'a JSON file does not parse', hint: 'fix the JSON syntax' },
  JSON_TOO_DEEP: { kind: 'validation', summary: 'a JSON file is nested deeper than pm reads', hint: 'flatten the data: pm reads JSON nested at most 64 levels deep' },
  JSON_TOO_LARGE: { kind: 'validation', summary: 'a JSON file is larger than its limit', hint: 'make the file smaller' },

  // files pm is given (core/fs/read-regular-file.ts)
  FILE_NOT_REGULAR: { kind: 'usage', summary: 'a file pm was given is a FIFO, device, socket or folder, not a regular file', hint: 'give the path of a regular file' },
  FILE_TOO_LARGE: { kind: 'usage', summary: 'a file pm was given is larger than pm reads for that purpose', hint: 'check that this is the right file' },

  // scaffold
  CANCELLED: { kind: 'failure', summary: 'the operation was cancelled', hint: 'run it again' },
  CREATE_FAILED: { kind: 'failure', summary: 'the plugin folder could not be written', hint: 'check that you can write there, or choose another --dir' },
  PARENT_NOT_FOLDER: { kind: 'usage', summary: 'the --dir parent is not a folder', hint: 'give --dir a folder (it is created when missing)' },
  TARGET_NOT_EMPTY: { kind: 'failure', summary: 'the target folder exists and is not empty', hint: 'choose another plugin name or --dir, or pass --force to write into it' },
  TARGET_NOT_FOLDER: { kind: 'failure', summary: 'the target exists and is not a folder', hint: 'choose another plugin name or another --dir' },
  TEMPLATE_BROKEN: { kind: 'failure', summary: "one of pm's templates does not render", hint: 'this is a bug in the template; report it with the message above' },
  TEMPLATE_MISSING: { kind: 'failure', summary: "pm's templates for that plugin type are missing", hint: 'reinstall pm; its templates/ folder is incomplete' },

  // keys and signatures
  KEY_ALGORITHM_REFUSED: { kind: 'verification', summary: 'the key uses an algorithm or size pm does not accept', hint: 'use an Ed25519 key or an RSA key of at least 3072 bits' },
  KEY_MALFORMED: { kind: 'usage', summary: 'the file is not an armored OpenPGP public key', hint: 'export it with: gpg --export --armor <fingerprint> > key.asc' },
  KEY_NONE: { kind: 'failure', summary: 'there is no own key to sign with', hint: "make one with 'pm keys-generate'" },
  KEY_NOT_FOUND: { kind: 'failure', summary: 'no key matches the fingerprint', hint: "run 'pm keys-list' to see the keys pm knows, or 'pm keys-import <file>' to add one" },
  KEY_NOT_OWN: { kind: 'usage', summary: 'the key is not one of your own (pm has only its public half)', hint: "pick one of your keys from 'pm keys-list', or make one with 'pm keys-generate'" },
  KEY_PASSPHRASE_REQUIRED: { kind: 'usage', summary: 'the key is protected by a passphrase', hint: 'pass it with --passphrase-file <file>' },
  KEY_PASSPHRASE_WRONG: { kind: 'failure', summary: 'the passphrase does not unlock the key', hint: 'check the file given to --passphrase-file' },
  KEY_UNUSABLE: { kind: 'failure', summary: 'the key is revoked or expired and cannot sign', hint: "make a new key with 'pm keys-generate'" },
  KEYRING_CORRUPT: { kind: 'failure', summary: "PM_HOME's keyring.json cannot be read", hint: 'restore it from a backup, or remove it and trust your keys again' },
  PROVENANCE_OTHER_FILE: { kind: 'verification', summary: 'the provenance was written for another file', hint: 'use the .prov that came with the package (--prov <file>)' },
  SIGNATURE_BAD: { kind: 'verification', summary: 'the signature does not verify: the signed text was changed, or another key signed it', hint: 'do not trust this file; download it again or ask the publisher to sign again' },
  SIGNATURE_MALFORMED: { kind: 'verification', summary: 'the file is not an armored OpenPGP signature or pm provenance', hint: "sign the package again with 'pm plugin-sign', or ask the publisher for a new .prov" },
  SIGNATURE_MISSING: { kind: 'verification', summary: 'the package has no provenance (.prov)', hint: 'ask the publisher for its .prov and put it beside the package (or pass --prov <file>)' },
  SIGNATURE_WEAK_HASH: { kind: 'verification', summary: 'the signature uses a hash pm does not accept (SHA-1, MD5, RIPEMD-160)', hint: "sign the package again with 'pm plugin-sign' (it uses SHA-512)" },
  SIGNER_EXPIRED: { kind: 'verification', summary: 'the signing key has expired', hint: "ask the publisher to extend the key's expiry or sign with a current key" },
  SIGNER_REVOKED: { kind: 'verification', summary: 'the signing key has been revoked', hint: 'do not install it; ask the publisher for a package signed with their current key' },
  SIGNER_UNKNOWN: { kind: 'verification', summary: 'the signing key is not in your keyring', hint: "get the publisher's public key, then run 'pm keys-import <file>' and 'pm keys-trust <fingerprint>'" },
  SIGNER_UNTRUSTED: { kind: 'verification', summary: 'the signing key is imported but not trusted', hint: "if you trust this publisher, run 'pm keys-trust <fingerprint>'" },

  // marketplace (registry client)
  CACHE_INVALID: { kind: 'failure', summary: 'the cached registry index is damaged', hint: 'run the command again without --offline to download it' },
  FETCH_HTTP: { kind: 'failure', summary: 'the server answered with an HTTP error', hint: 'check the URL (pm marketplace-list shows registry URLs)' },
  FETCH_NETWORK: { kind: 'failure', summary: 'the connection failed (refused, reset or DNS) after retrying', hint: 'check the URL and your network connection, then retry' },
  FETCH_NOT_FOUND: { kind: 'failure', summary: 'a file of a folder registry cannot be read', hint: 'check the path of the registry folder' },
  FETCH_PROTOCOL: { kind: 'failure', summary: 'the server answered in a way HTTP does not allow here', hint: 'try again; if it persists, tell the server operator' },
  FETCH_TIMEOUT: { kind: 'verification', summary: 'the server accepted but did not answer in time (a freeze is treated as an attack)', hint: 'try again later; raise --timeout only if the server is known to be slow' },
  FETCH_TOO_LARGE: { kind: 'verification', summary: 'the server sent more bytes than the size limit', hint: 'the server may be compromised or misconfigured; tell its operator' },
  INDEX_EXPIRED: { kind: 'verification', summary: 'the registry index is past its expiry date', hint: 'the registry may be frozen by an attacker or its operator forgot to re-sign it; try again later or tell the operator' },
  INDEX_FOREIGN_URL: { kind: 'verification', summary: 'the index names another registry URL or points packages elsewhere', hint: 'report it to the registry operator and do not install from it' },
  INDEX_INVALID: { kind: 'verification', summary: 'the registry index does not match the index schema', hint: 'tell the registry operator' },
  INDEX_NOT_CACHED: { kind: 'failure', summary: 'the registry has no cached index for --offline', hint: 'run the command once without --offline to download it' },
  INDEX_ROLLBACK: { kind: 'verification', summary: 'the registry index is older than one already seen (rollback)', hint: 'do not install from it until the version is back; tell the operator' },
  INDEX_SIGNATURE_INVALID: { kind: 'verification', summary: "the index signature does not verify with the registry's pinned key", hint: 'do not install from it; if the operator rotated keys, pin the new key with marketplace-add --replace' },
  INDEX_SIGNATURE_MISSING: { kind: 'verification', summary: "index.json.asc is missing although the registry's key is pinned", hint: 'do not install from it, and tell the operator' },
  INDEX_UNSIGNED: { kind: 'verification', summary: 'the registry has no pinned key', hint: 'pin its key with pm marketplace-add <name> <url> --key <file> --replace' },
  INTERNAL: { kind: 'failure', summary: 'an internal invariant of pm failed (a bug)', hint: 'this is a bug in pm; run again with --verbose for details and report it' },
  NOT_FROM_MARKETPLACE: { kind: 'failure', summary: 'the plugin was not installed from a registry', hint: "update it with 'pm plugin-update <name>'" },
  PACKAGE_INTEGRITY_MISMATCH: { kind: 'verification', summary: 'the downloaded package does not match the integrity in the signed index', hint: 'do not install it and tell the registry operator' },
  PACKAGE_SIGNER_MISMATCH: { kind: 'verification', summary: 'the package is signed by another key than the index lists', hint: 'do not install it; tell the registry operator' },
  PACKAGE_SIGNER_NOT_LISTED: { kind: 'verification', summary: 'the package is signed by a key the registry does not list for it', hint: 'do not install it and tell the registry operator' },
  PACKAGE_SIZE_MISMATCH: { kind: 'verification', summary: 'the downloaded package is larger or smaller than the signed index states', hint: 'do not install it and tell the registry operator' },
  PACKAGE_UNSIGNED: { kind: 'verification', summary: 'the package has no signature', hint: 'install it only if you trust it unsigned: add --allow-unsigned' },
  PLUGIN_NOT_IN_REGISTRY: { kind: 'failure', summary: 'no configured registry has the plugin', hint: "search for it with 'pm marketplace-search <name>'" },
  REGISTRY_NONE: { kind: 'failure', summary: 'no registry is configured', hint: "add one with 'pm marketplace-add <name> <url> --key <file>'" },
  REGISTRIES_UNREACHABLE: { kind: 'failure', summary: 'no configured registry could be reached and none has a usable cached index', hint: 'check your network and the registry URLs (pm marketplace-list)' },
  REGISTRY_STATE_INVALID: { kind: 'failure', summary: "the registry's recorded state is damaged", hint: 'remove it only if you trust the registry as it is now' },
  REGISTRY_UNKNOWN: { kind: 'failure', summary: 'no registry of that name is configured', hint: "see the registries with 'pm marketplace-list'" },
  RESOLVE_CONFLICT: { kind: 'failure', summary: 'no version satisfies every range asked for', hint: "see the versions with 'pm marketplace-info <name>'" },
  RESOLVE_ENGINES: { kind: 'failure', summary: 'no matching version supports this pm or Node', hint: "upgrade pm or Node, or see each version's engines with 'pm marketplace-info <name>'" },
  RESOLVE_NOT_FOUND: { kind: 'failure', summary: 'no registry has a version matching the range', hint: "check the name with 'pm marketplace-search', or add the registry that has it" },
  SIGNER_KEY_MISSING: { kind: 'verification', summary: 'the index lists a signer whose key it does not carry', hint: 'tell the registry operator; the index must include the publisher keys it lists' },

  // registry-build / registry-validate (publisher side)
  PREVIOUS_INDEX_UNREADABLE: { kind: 'usage', summary: 'the index given with --previous cannot be read', hint: 'pass the index.json currently published' },
  REGISTRY_DUPLICATE: { kind: 'validation', summary: 'the same plugin version is in the folder twice', hint: 'keep one package per version in the folder' },
  REGISTRY_VERSION_IMMUTABLE: { kind: 'validation', summary: 'a published version would change content', hint: 'a published version never changes: bump the version in plugin.json and package again' },
  SITE_INDEX_INVALID: { kind: 'validation', summary: "the output site's existing index.json is not a valid index", hint: 'restore the site from a backup, or build into an empty folder' },
  SITE_UNREADABLE: { kind: 'validation', summary: "the site's index.json cannot be read", hint: "build the site with 'pm registry-build'" },

  // secrets and profiles (core/store/secrets.ts, profiles.ts)
  SECRET_NAME_INVALID: { kind: 'usage', summary: 'a secret name is not letters, digits and _ starting with a letter or _', hint: 'use a name like GITHUB_TOKEN' },
  SECRET_NOT_FOUND: { kind: 'failure', summary: 'no secret of that name is stored', hint: "see the secrets with 'pm secret-list'" },
  SECRET_VALUE_EMPTY: { kind: 'usage', summary: 'pm secret-set got no value (empty stdin, or an empty answer)', hint: "pipe the value in (printf '%s' \"$VALUE\" | pm secret-set NAME) or type it at the prompt in a terminal" },
  SECRET_VALUE_INVALID: { kind: 'usage', summary: 'a secret value is shorter than 4 characters, holds a NUL byte or is over 32 KiB', hint: 'give a token or key as text' },
  SECRETS_FILE_CORRUPT: { kind: 'failure', summary: "PM_HOME's secrets.json is not a secrets file pm wrote", hint: 'fix it by hand or remove it and set the secrets again with pm secret-set' },
  SECRETS_FILE_UNSAFE: { kind: 'failure', summary: "PM_HOME's secrets.json is a link, not a regular file, someone else's or readable by others", hint: 'chmod 600 the file (and change the secrets at their source if others could read them)' },
  PROFILE_INVALID: { kind: 'usage', summary: 'a profile names no plugins or tools, or a plugin or tool pattern that cannot match', hint: "give --plugins a,b and/or --tools 'a.*,b.read'" },
  PROFILE_NAME_INVALID: { kind: 'usage', summary: 'a profile name is not lowercase letters, digits and - starting with a letter', hint: 'use a name like coding or read-only' },
  PROFILE_NOT_FOUND: { kind: 'usage', summary: 'no profile of that name exists', hint: "see the profiles with 'pm profile-list', or make one with 'pm profile-set'" },
  PROFILES_FILE_CORRUPT: { kind: 'failure', summary: "PM_HOME's profiles.json is not a profiles file pm wrote", hint: 'fix it by hand or remove it and set the profiles again with pm profile-set' },

  // host: plugin processes
  BAD_REQUEST: { kind: 'failure', summary: 'a request to a plugin is missing a required field', hint: 'check the request' },
  PERMISSION_PATH_REFUSED: { kind: 'validation', summary: 'a permission path in plugin.json is not allowed', hint: 'plugins may be granted $DATA or folders under your home folder, nothing wider' },
  PLUGIN_BUSY: { kind: 'failure', summary: 'the plugin has too many calls in flight', hint: 'retry later' },
  PLUGIN_CRASHED: { kind: 'failure', summary: 'the plugin process exited', hint: "see the plugin's log; pm restarts it on the next call" },
  PLUGIN_ERROR: { kind: 'failure', summary: 'the plugin threw an error without a code of its own', hint: 'see the message; it comes from the plugin' },
  PLUGIN_FAILED: { kind: 'failure', summary: 'the plugin crashed repeatedly and is marked failed', hint: "fix the plugin, then run 'pm plugin-enable <name>': a running pm serve restarts it" },
  PLUGIN_OUT_OF_MEMORY: { kind: 'failure', summary: 'the plugin process ran out of memory', hint: 'raise the memory cap only if the plugin legitimately needs it' },
  PLUGIN_START_FAILED: { kind: 'failure', summary: 'the plugin process could not be started', hint: "run 'pm plugin-validate' on the plugin folder and check its activate()" },
  PLUGIN_TIMEOUT: { kind: 'failure', summary: 'the call exceeded its timeout; the plugin was stopped', hint: "raise the tool's timeoutMs in plugin.json if the work is legitimately slow" },
  PLUGIN_UNHEALTHY: { kind: 'failure', summary: "the plugin's health check failed at start", hint: "see the plugin's log" },
  RUNNER_MISSING: { kind: 'failure', summary: "pm's plugin runner is missing from the installation", hint: 'reinstall pm (from a checkout: npm run build)' },
  SANDBOX_UNAVAILABLE: { kind: 'failure', summary: 'this Node has no permission model, so plugins cannot be sandboxed', hint: 'install Node 20.10 or newer' },
  // host: server plugins (an MCP server over stdio; DESIGN §2 "Server plugins")
  SECRET_MISSING: { kind: 'failure', summary: 'a server plugin references a secret that is not set', hint: "set it with 'pm secret-set <NAME>'" },
  SERVER_COMMAND_NOT_EXECUTABLE: { kind: 'failure', summary: "the server plugin's command exists but is not an executable file", hint: 'make it executable (chmod +x), or run it through its interpreter in server.command' },
  SERVER_COMMAND_NOT_FOUND: { kind: 'failure', summary: "the server plugin's command is not on PATH or not in the plugin folder", hint: 'install the program, or fix server.command in plugin.json' },
  SERVER_CONFIG_MISSING: { kind: 'failure', summary: 'a server plugin uses ${config.KEY} for a key with no value and no default', hint: "set it with 'pm plugin-config <name> KEY VALUE'" },
  SERVER_SUBSTITUTION_UNKNOWN: { kind: 'validation', summary: 'a server plugin uses a ${...} that pm does not substitute', hint: 'only ${pluginDir}, ${dataDir}, ${config.KEY} and ${secret.NAME} are substituted' },
  SERVER_UNSANDBOXED: { kind: 'failure', summary: 'no OS sandbox (bubblewrap) runs here, and a server plugin starts unsandboxed only with full trust', hint: "install bubblewrap (apt-get install bubblewrap, dnf install bubblewrap), or grant it with 'pm plugin-trust <name> --full'" },
  // sent by pm's plugin runner (src/host/runner.ts) and passed on as the plugin's error
  ACTIVATE_FAILED: { kind: 'failure', summary: "the plugin's activate() threw", hint: "see the message; it comes from the plugin's activate()" },
  ENTRY_INVALID: { kind: 'failure', summary: "the plugin's entry does not export an object", hint: 'export default { tools: { … } } from the entry' },
  ENTRY_LOAD_FAILED: { kind: 'failure', summary: "the plugin's entry module cannot be loaded", hint: "run 'pm plugin-validate' on the plugin folder" },
  ENTRY_OUTSIDE: { kind: 'failure', summary: "the plugin's main points outside its folder", hint: 'keep main inside the plugin folder' },
  HOOK_NOT_IMPLEMENTED: { kind: 'failure', summary: 'a declared hook has no implementation', hint: "run 'pm plugin-validate' on the plugin folder" },
  RESOURCE_NOT_IMPLEMENTED: { kind: 'failure', summary: 'a declared resource has no implementation', hint: "run 'pm plugin-validate' on the plugin folder" },
  TOOL_NOT_IMPLEMENTED: { kind: 'failure', summary: 'a declared tool has no implementation', hint: "run 'pm plugin-validate' on the plugin folder" },

  // host: tools, resources, prompts, hooks, serve
  BODY_TOO_LARGE: { kind: 'failure', summary: 'an HTTP request body is over the size limit', hint: 'send a smaller request' },
  HOOK_EVENT_INVALID: { kind: 'failure', summary: 'the event is not a lifecycle action event', hint: "'pm hook-list' shows every event" },
  HOOK_EVENT_UNDECLARED: { kind: 'failure', summary: 'a plugin emitted an event it does not declare', hint: 'declare the event in contributes.events (built-in events are emitted by pm only)' },
  HOST_CLOSED: { kind: 'failure', summary: 'the plugin host is closed', hint: 'create a new host' },
  HOST_NO_PLUGINS: { kind: 'failure', summary: 'createHost was given neither a home nor plugins', hint: 'pass { home } or { plugins }' },
  PROMPT_ARGUMENT_INVALID: { kind: 'usage', summary: '--arg is not key=value', hint: 'write each argument as --arg name=value' },
  PROMPT_ARGUMENT_MISSING: { kind: 'usage', summary: 'a required prompt argument is missing', hint: 'give it a value with --arg name=value' },
  PROMPT_ARGUMENT_UNKNOWN: { kind: 'usage', summary: 'the prompt has no argument of that name', hint: "see its arguments with 'pm prompt-list'" },
  PROMPT_FORMAT_UNKNOWN: { kind: 'usage', summary: 'unknown prompt output format', hint: 'use text, openai or anthropic' },
  PROMPT_FORMAT_UNSUPPORTED: { kind: 'usage', summary: 'the prompt cannot be expressed in the requested format', hint: 'use --format text or openai' },
  PROMPT_ID_INVALID: { kind: 'usage', summary: 'the name is not <plugin>.<prompt>', hint: "name a prompt as <plugin>.<prompt>; 'pm prompt-list' shows them" },
  PROMPT_MESSAGE_EMPTY: { kind: 'failure', summary: 'a prompt message has neither a template nor text', hint: 'give each message a "template" file (or inline "text")' },
  PROMPT_NOT_FOUND: { kind: 'failure', summary: 'no enabled plugin has the prompt', hint: "'pm prompt-list' shows the prompts of enabled plugins" },
  PROMPT_TEMPLATE_INVALID: { kind: 'failure', summary: 'a prompt template does not render', hint: 'fix the Handlebars syntax of the template' },
  PROMPT_TEMPLATE_MISSING: { kind: 'failure', summary: 'a prompt template file cannot be read', hint: 'check the template path; it is relative to the plugin folder' },
  PROMPT_TEMPLATE_OUTSIDE: { kind: 'failure', summary: 'a prompt template is outside the plugin folder', hint: 'keep prompt templates inside the plugin, e.g. prompts/name.hbs' },
  RESOURCE_NOT_FOUND: { kind: 'usage', summary: 'no enabled plugin has the resource', hint: 'pm serve lists resources under resources/list' },
  SERVE_LISTEN_FAILED: { kind: 'failure', summary: 'the HTTP server cannot listen on the address', hint: 'choose another port with --http <port>' },
  SERVE_NO_TOKEN: { kind: 'failure', summary: 'the HTTP server was started without a token and without noToken', hint: 'pass a token, or noToken on a loopback bind' },
  SERVE_TOKEN_FILE_UNREADABLE: { kind: 'failure', summary: 'the kept HTTP token file cannot be read', hint: 'fix its permissions (chmod 600) or remove it' },
  SERVE_TOKEN_WRITE_FAILED: { kind: 'failure', summary: 'the HTTP token cannot be written to PM_HOME', hint: 'make PM_HOME writable, or give a token with PM_TOKEN (or --token)' },
  SERVE_TOKEN_FILE_UNSAFE: { kind: 'failure', summary: "the kept HTTP token file is a link, not a regular file, someone else's or readable by others", hint: 'remove the file; pm serve --http writes a new one with mode 0600' },
  SERVE_UNSAFE_BIND: { kind: 'usage', summary: '--no-token asked for on a non-loopback address', hint: 'drop --no-token (pm serve then uses --token, PM_TOKEN or the token it keeps in PM_HOME), or bind to 127.0.0.1' },
  SERVE_WEAK_TOKEN: { kind: 'usage', summary: 'the token is too short', hint: 'use a long random token (at least 16 characters)' },
  STATS_CORRUPT: { kind: 'failure', summary: 'a stats file is not valid JSON or not a pm stats file', hint: "delete it; only that run's figures are lost" },
  TOOL_CALL_DENIED: { kind: 'failure', summary: 'a plugin called a tool of a plugin it does not depend on', hint: 'add the target plugin to "dependencies" in the caller\'s plugin.json' },
  TOOL_DENIED: { kind: 'failure', summary: 'a tool:before-call guard denied the call', hint: 'see the reason; it comes from the guarding plugin' },
  TOOL_NOT_FOUND: { kind: 'usage', summary: 'no enabled plugin provides the tool', hint: 'tools are named <plugin>.<tool>; pm plugin-list shows the enabled plugins' },

  // webhooks (core/webhooks)
  WEBHOOK_DELIVERY_UNKNOWN: { kind: 'failure', summary: 'no delivery with that id is recorded, or its event is no longer kept', hint: "see the deliveries with 'pm webhook-deliveries'" },
  WEBHOOK_EVENTS_INVALID: { kind: 'usage', summary: 'the --events list is empty or names an unknown event type', hint: 'give a comma-separated list of event types, or * for all (docs/webhooks.md lists them)' },
  WEBHOOK_FLUSH_INCOMPLETE: { kind: 'failure', summary: 'webhook-flush ended with events still undelivered', hint: "see why with 'pm webhook-deliveries --failed'; they stay queued and are retried" },
  WEBHOOK_OUTBOX_FAILED: { kind: 'failure', summary: 'an event could not be written to the webhook outbox (the change it announces was made)', hint: 'free disk space or fix the permissions of PM_HOME/outbox' },
  WEBHOOK_SECRET_INVALID: { kind: 'usage', summary: 'a webhook secret is not whsec_ followed by 24 to 64 bytes of base64', hint: 'leave --secret out and pm generates one' },
  WEBHOOK_TEST_FAILED: { kind: 'failure', summary: 'the receiver did not accept the test event', hint: 'check that the receiver is running and answers 2xx without redirecting' },
  WEBHOOK_UNKNOWN: { kind: 'failure', summary: 'no webhook endpoint has that id', hint: "see the endpoints with 'pm webhook-list'" },
  WEBHOOK_URL_INVALID: { kind: 'usage', summary: 'a webhook URL is not an http or https URL', hint: 'give an http:// or https:// URL' },
  WEBHOOKS_FILE_CORRUPT: { kind: 'failure', summary: "PM_HOME's webhooks.json is not valid", hint: 'fix the file, or remove it and add the endpoints again' },
} as const satisfies Record<string, ErrorCodeSpec>;

/** A code pm itself throws; tsc refuses any other string where an ErrorCode is expected. */
export type ErrorCode = keyof typeof ERROR_CODES;

/** True when `code` is a row of the table (plugins may send any string). */
export function isErrorCode(code: string): code is ErrorCode {
  return Object.hasOwn(ERROR_CODES, code);
}
