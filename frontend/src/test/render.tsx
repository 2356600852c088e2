import type { ReactNode } from 'react';
import { render } from '@testing-library/react';
import { AdminContext, testDataProvider, type AuthProvider } from 'react-admin';
import { makeI18nProvider } from '../i18n';

export const fakeAuthProvider = (role: string | undefined): AuthProvider => ({
    login: async () => undefined,
    logout: async () => undefined,
    checkAuth: async () => undefined,
    checkError: async () => undefined,
    getPermissions: async () => role,
    getIdentity: async () => ({ id: 'tester', fullName: 'tester' }),
});

/** Renders inside react-admin's contexts, in English, with the given providers. */
export const renderWithAdmin = (
    ui: ReactNode,
    { dataProvider = {}, role = 'monitor' }: { dataProvider?: Record<string, any>; role?: string } = {}
) =>
    render(
        <AdminContext
            dataProvider={testDataProvider(dataProvider as any)}
            authProvider={fakeAuthProvider(role)}
            i18nProvider={makeI18nProvider('en')}
        >
            {ui}
        </AdminContext>
    );
