import { PmError } from '../errors.js';
import type { Manifest } from '../manifest/types.js';
import { SERVER_JSON_NAME } from './server-json.js';

/** A GitHub repository a manifest points at, as server.json's `repository` holds it. */
export interface GithubRepository {
  owner: string;
  repo: string;
  url: string;
}

const GITHUB = /(?:^|[\s(<@/])(?:git\+)?(?:https?:\/\/|git:\/\/|ssh:\/\/git@|git@)?(?:www\.)?github\.com[/:]([A-Za-z0-9-]{1,39})(?:\/([A-Za-z0-9._-]+?))?(?:\.git)?(?:[/#?)>\s]|$)/;
const GITHUB_SHORT = /^github:([A-Za-z0-9-]{1,39})\/([A-Za-z0-9._-]+)$/;

/** The strings in which a manifest may name its GitHub home: `repository` (string or {url}), `homepage`, `author`. */
function candidates(m: Manifest): string[] {
  const raw = m as unknown as Record<string, unknown>;
  const repo = raw.repository;
  const repoUrl = typeof repo === 'string' ? repo : repo && typeof repo === 'object' ? (repo as { url?: unknown }).url : undefined;
  const author = raw.author && typeof raw.author === 'object' ? (raw.author as { url?: unknown }).url : raw.author;
  return [repoUrl, raw.homepage, author].filter((v): v is string => typeof v === 'string');
}

/** The GitHub owner (and repository, when named) the manifest's `repository`, `homepage` or `author` points at. */
export function githubOf(m: Manifest): GithubRepository | { owner: string; repo?: undefined; url?: undefined } | undefined {
  for (const s of candidates(m)) {
    const short = GITHUB_SHORT.exec(s.trim());
    const hit = short ?? GITHUB.exec(s);
    if (!hit) continue;
    const owner = hit[1]!;
    const repo = hit[2];
    if (repo) return { owner, repo, url: `https://github.com/${owner}/${repo}` };
    return { owner };
  }
  return undefined;
}

/**
 * The server.json `name`: `given` when set (checked against the registry's rule), else
 * `io.github.<owner>/<plugin>` from the manifest's GitHub URL; refused (EXPORT_NAME_MISSING) without either.
 */
export function serverJsonName(m: Manifest, given?: string): string {
  if (given !== undefined) {
    if (!SERVER_JSON_NAME.test(given) || given.length > 200) {
      throw new PmError('EXPORT_NAME_INVALID', `--name "${given}" is not a registry server name`, {
        hint: 'write it in reverse-DNS form with one slash, e.g. io.github.<owner>/<plugin> or com.example/<plugin>', data: { name: given },
      });
    }
    return given;
  }
  const gh = githubOf(m);
  if (!gh) {
    throw new PmError('EXPORT_NAME_MISSING', `${m.name} has no GitHub URL to derive its registry name from`, {
      hint: `give one with --name io.github.<owner>/${m.name} (or your domain reversed, e.g. com.example/${m.name}), or add "repository": "https://github.com/<owner>/<repo>" to plugin.json`,
      data: { plugin: m.name },
    });
  }
  return `io.github.${gh.owner}/${m.name}`;
}
