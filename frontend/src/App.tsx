import { Admin, Resource, type DataProvider, type I18nProvider, type AuthProvider } from 'react-admin';
import { authProvider as defaultAuthProvider, canEdit, isAdmin } from './authProvider';
import { dataProvider as defaultDataProvider } from './dataProvider';
import { i18nProvider as defaultI18nProvider } from './i18n';
import { Dashboard } from './dashboard/Dashboard';
import { Layout } from './Layout';
import commitments from './commitments';
import documents from './documents';
import evidence from './evidence';
import status_changes from './status_changes';
import users from './users';
import subscriptions from './subscriptions';
import deliveries from './deliveries';

interface AppProps {
    dataProvider?: DataProvider;
    authProvider?: AuthProvider;
    i18nProvider?: I18nProvider;
}

/**
 * Menus and pages follow the role: viewers only read; monitors also edit
 * commitments and upload documents; admins also manage users, webhook
 * subscriptions and deliveries.
 */
export const App = ({
    dataProvider = defaultDataProvider,
    authProvider = defaultAuthProvider,
    i18nProvider = defaultI18nProvider,
}: AppProps) => (
    <Admin
        title="Suivi"
        dataProvider={dataProvider}
        authProvider={authProvider}
        i18nProvider={i18nProvider}
        dashboard={Dashboard}
        layout={Layout}
        requireAuth
        disableTelemetry
    >
        {(permissions: unknown) => (
            <>
                <Resource name="commitments" {...commitments} edit={canEdit(permissions) ? commitments.edit : undefined} />
                <Resource name="documents" {...documents} create={canEdit(permissions) ? documents.create : undefined} />
                <Resource name="evidence" {...evidence} />
                <Resource name="status_changes" {...status_changes} />
                {isAdmin(permissions) && (
                    <>
                        <Resource name="users" {...users} />
                        <Resource name="subscriptions" {...subscriptions} />
                        <Resource name="deliveries" {...deliveries} />
                    </>
                )}
            </>
        )}
    </Admin>
);

export default App;
