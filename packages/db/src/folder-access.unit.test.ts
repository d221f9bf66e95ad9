import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { firstClosedFolder } from './folder-access.ts';

const root = mkdtempSync(join(tmpdir(), 'folder-access-'));
chmodSync(root, 0o755);
const open = join(root, 'open');
const closed = join(open, 'closed');
const inner = join(closed, 'inner');
mkdirSync(inner, { recursive: true });
chmodSync(open, 0o755);
chmodSync(closed, 0o700);
chmodSync(inner, 0o755);
writeFileSync(join(inner, 'initdb'), '');
afterAll(() => rmSync(root, { recursive: true, force: true }));

const me = { uid: process.getuid!(), gids: [process.getgid!()] };
const stranger = { uid: 2_000_000_001, gids: [2_000_000_001] };

describe('firstClosedFolder', () => {
  it('names the outermost folder that a user who owns none of them cannot enter', () => {
    expect(firstClosedFolder(join(inner, 'initdb'), stranger)).toBe(closed);
    expect(firstClosedFolder(join(inner, 'initdb'), null)).toBe(closed);
  });

  it('lets the owner through by the owner bits', () => {
    expect(firstClosedFolder(join(inner, 'initdb'), me)).toBeNull();
  });

  it('lets a group member through by the group bits', () => {
    chmodSync(closed, 0o710);
    try {
      expect(firstClosedFolder(inner, { uid: stranger.uid, gids: [process.getgid!()] })).toBeNull();
      expect(firstClosedFolder(inner, stranger)).toBe(closed);
    } finally {
      chmodSync(closed, 0o700);
    }
  });

  it('finds nothing closed on a path others may traverse', () => {
    expect(firstClosedFolder(open, stranger)).toBeNull();
  });
});
