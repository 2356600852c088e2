import polyglotI18nProvider from 'ra-i18n-polyglot';
import fr from './fr';
import en from './en';

export const messages = { fr, en } as const;
export type Locale = keyof typeof messages;

/** French first when the browser prefers it, English otherwise. */
export const browserLocale = (language: string | undefined = globalThis.navigator?.language): Locale =>
    language && language.toLowerCase().startsWith('fr') ? 'fr' : 'en';

export const makeI18nProvider = (initial: Locale = browserLocale()) =>
    polyglotI18nProvider(
        locale => messages[(locale as Locale) in messages ? (locale as Locale) : 'en'],
        initial,
        [
            { locale: 'fr', name: 'Français' },
            { locale: 'en', name: 'English' },
        ],
        { allowMissing: true }
    );

export const i18nProvider = makeI18nProvider();
