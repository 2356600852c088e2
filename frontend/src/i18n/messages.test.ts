import { describe, expect, it } from 'vitest';
import fr from './fr';
import en from './en';

// Every source file's text, through Vite's glob import (no Node API needed).
const sources = import.meta.glob(['../**/*.{ts,tsx}', '!../**/*.test.{ts,tsx}', '!../vocabularies.ts'], {
    query: '?raw',
    import: 'default',
    eager: true,
}) as Record<string, string>;

const lookup = (messages: any, key: string) => key.split('.').reduce((o, k) => (o == null ? undefined : o[k]), messages);

describe('i18n messages', () => {
    it('have every static suivi.* and resources.* key used in the code, in French and English', () => {
        const keys = new Set<string>();
        for (const text of Object.values(sources)) {
            for (const match of text.matchAll(/['"`]((?:suivi|resources)\.[a-z_]+\.[a-z_.]+)['"`]/g)) keys.add(match[1]);
        }
        expect(Object.keys(sources).length).toBeGreaterThan(20);
        expect(keys.size).toBeGreaterThan(50);
        const missing = [...keys].filter(k => typeof lookup(fr, k) !== 'string' || typeof lookup(en, k) !== 'string');
        expect(missing).toEqual([]);
    });
});
