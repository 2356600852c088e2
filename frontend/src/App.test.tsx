import { describe, expect, it } from 'vitest';
import { fireEvent, render, screen } from '@testing-library/react';
import { testDataProvider } from 'react-admin';
import { App } from './App';
import { fakeAuthProvider } from './test/render';
import { browserLocale, makeI18nProvider } from './i18n';

const stats = {
    total: 3,
    by_status: { not_assessed: 2, achieved: 1 },
    by_topic: { igf_mandate: 2, funding: 1 },
    by_actor: { states: 3 },
    by_kind: { engagement: 3 },
    by_document: [{ document_id: 1, title: 'Tunis', count: 3 }],
    overdue: 1,
    changes_by_month: [{ month: '2026-11', count: 1 }],
    recent_changes: [],
};

const renderApp = (role: string) =>
    render(
        <App
            dataProvider={testDataProvider({ getStats: async () => stats } as any)}
            authProvider={fakeAuthProvider(role)}
            i18nProvider={makeI18nProvider('en')}
        />
    );

describe('menus follow the role', () => {
    it('a viewer gets the reading pages only', async () => {
        renderApp('viewer');
        expect(await screen.findByRole('menuitem', { name: /Commitments/ })).toBeInTheDocument();
        expect(screen.getByRole('menuitem', { name: /Documents/ })).toBeInTheDocument();
        expect(screen.queryByRole('menuitem', { name: /Users/ })).toBeNull();
        expect(screen.queryByRole('menuitem', { name: /Webhook subscriptions/ })).toBeNull();
        expect(screen.queryByRole('menuitem', { name: /Deliveries/ })).toBeNull();
    });

    it('an admin also gets users, subscriptions and deliveries', async () => {
        renderApp('admin');
        expect(await screen.findByRole('menuitem', { name: /Users/ })).toBeInTheDocument();
        expect(screen.getByRole('menuitem', { name: /Webhook subscriptions/ })).toBeInTheDocument();
        expect(screen.getByRole('menuitem', { name: /Deliveries/ })).toBeInTheDocument();
    });

    it('the dashboard puts the four mission topics first, linked to the filtered list', async () => {
        renderApp('viewer');
        const card = await screen.findByTestId('mission-igf_mandate');
        expect(card).toHaveTextContent('IGF mandate');
        expect(card).toHaveTextContent('2');
        expect(decodeURIComponent(card.getAttribute('href') ?? '')).toBe('#/commitments?filter={"topics":"igf_mandate"}');
        expect(screen.getByTestId('mission-gdc_wsis_alignment')).toHaveTextContent('0');
        expect(screen.getByTestId('stat-overdue')).toHaveTextContent('1');
    });
});

describe('language menu', () => {
    it('is named for screen readers and switches the UI to French', async () => {
        renderApp('viewer');
        const button = await screen.findByRole('button', { name: 'Language : English' });
        fireEvent.click(button);
        fireEvent.click(await screen.findByRole('menuitem', { name: 'Français' }));
        expect(await screen.findByRole('menuitem', { name: /Engagements/ })).toBeInTheDocument();
        expect(screen.getByRole('button', { name: 'Langue : Français' })).toBeInTheDocument();
    });
});

describe('language', () => {
    it('is French when the browser prefers it, English otherwise', () => {
        expect(browserLocale('fr-FR')).toBe('fr');
        expect(browserLocale('fr')).toBe('fr');
        expect(browserLocale('en-GB')).toBe('en');
        expect(browserLocale('de-DE')).toBe('en');
        expect(makeI18nProvider('fr').translate('suivi.status.achieved')).toBe('Tenu');
        expect(makeI18nProvider('en').translate('suivi.status.achieved')).toBe('Achieved');
        // Dotted ids (event types) are looked up whole.
        expect(makeI18nProvider('en').translate('suivi.event_type.suivi.webhook.test')).toBe('Webhook test');
    });
});
