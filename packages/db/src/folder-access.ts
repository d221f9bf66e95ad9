import { statSync, type Stats } from 'node:fs';
import { dirname, resolve } from 'node:path';

/** A user as the file system sees it. */
export interface FolderUser {
  uid: number;
  gids: number[];
}

/**
 * The outermost folder on the way to `path` (the path itself included, if a folder) that `user`
 * may not enter, by the folders' owner, group and search bits; null when every one lets it
 * through. A user that does not exist yet (null) owns nothing, so only the bits for others count.
 */
export function firstClosedFolder(
  path: string,
  user: FolderUser | null,
  stat: (path: string) => Stats = statSync,
): string | null {
  const folders: string[] = [];
  for (let folder = resolve(path); ; folder = dirname(folder)) {
    folders.unshift(folder);
    if (dirname(folder) === folder) break;
  }
  for (const folder of folders) {
    const info = stat(folder);
    if (!info.isDirectory()) continue;
    const mode = info.mode;
    const allowed =
      user && info.uid === user.uid ? mode & 0o100 : user && user.gids.includes(info.gid) ? mode & 0o010 : mode & 0o001;
    if (!allowed) return folder;
  }
  return null;
}
