import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import fr from './fr';
import en from './en';

const files = (dir: string): string[] =>
    readdirSync(dir).flatMap(name => {
        const path = join(dir, name);
        if (statSync(path).isDirectory()) return files(path);
        return /\.tsx?$/.test(name) && !/\.test\.tsx?$/.test(name) && name !== 'vocabularies.ts' ? [path] : [];
    });

const lookup = (messages: any, key: string) => key.split('.').reduce((o, k) => (o == null ? undefined : o[k]), messages);

describe('i18n messages', () => {
    it('have every static suivi.* and resources.* key used in the code, in French and English', () => {
        const root = join(__dirname, '..');
        const keys = new Set<string>();
        for (const file of files(root)) {
            for (const match of readFileSync(file, 'utf8').matchAll(/['"`]((?:suivi|resources)\.[a-z_]+\.[a-z_.]+)['"`]/g)) {
                keys.add(match[1]);
            }
        }
        expect(keys.size).toBeGreaterThan(50);
        const missing = [...keys].filter(k => typeof lookup(fr, k) !== 'string' || typeof lookup(en, k) !== 'string');
        expect(missing).toEqual([]);
    });
});
