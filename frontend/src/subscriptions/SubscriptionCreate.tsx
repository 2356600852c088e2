import { useState } from 'react';
import { Create, useRedirect, type RaRecord } from 'react-admin';
import { SubscriptionForm } from './SubscriptionForm';
import { SecretDialog } from './SecretDialog';

/** Creates a subscription, then shows its signing secret once before leaving the page. */
export const SubscriptionCreate = () => {
    const redirect = useRedirect();
    const [created, setCreated] = useState<RaRecord | null>(null);
    return (
        <>
            <Create mutationOptions={{ onSuccess: (data: RaRecord) => setCreated(data) }}>
                <SubscriptionForm />
            </Create>
            <SecretDialog
                secret={created?.secret ?? null}
                onClose={() => {
                    const id = created?.id;
                    setCreated(null);
                    redirect(id != null ? 'edit' : 'list', 'subscriptions', id);
                }}
            />
        </>
    );
};

export default SubscriptionCreate;
