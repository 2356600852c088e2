import { useState } from 'react';
import { Button } from '@mui/material';
import SendIcon from '@mui/icons-material/Send';
import KeyIcon from '@mui/icons-material/Key';
import { Confirm, useDataProvider, useNotify, useRecordContext, useTranslate } from 'react-admin';
import type { SuiviDataProvider } from '../dataProvider';
import { SecretDialog } from './SecretDialog';

export const TestSendButton = () => {
    const record = useRecordContext();
    const dataProvider = useDataProvider<SuiviDataProvider>();
    const notify = useNotify();
    const translate = useTranslate();
    const [busy, setBusy] = useState(false);
    if (!record) return null;
    return (
        <Button
            size="small"
            startIcon={<SendIcon />}
            disabled={busy}
            aria-label={`${translate('suivi.subscriptions.test')} ${record.url ?? ''}`}
            onClick={async e => {
                e.stopPropagation();
                setBusy(true);
                try {
                    await dataProvider.testSubscription(record.id);
                    notify('suivi.subscriptions.test_sent', { type: 'success' });
                } catch (error: any) {
                    notify(error?.message ?? 'ra.notification.http_error', { type: 'error' });
                } finally {
                    setBusy(false);
                }
            }}
        >
            {translate('suivi.subscriptions.test')}
        </Button>
    );
};

export const RotateSecretButton = () => {
    const record = useRecordContext();
    const dataProvider = useDataProvider<SuiviDataProvider>();
    const notify = useNotify();
    const translate = useTranslate();
    const [confirm, setConfirm] = useState(false);
    const [secret, setSecret] = useState<string | null>(null);
    if (!record) return null;
    return (
        <>
            <Button size="small" startIcon={<KeyIcon />} onClick={() => setConfirm(true)}>
                {translate('suivi.subscriptions.rotate')}
            </Button>
            <Confirm
                isOpen={confirm}
                title="suivi.subscriptions.rotate"
                content="suivi.subscriptions.rotate_confirm"
                onClose={() => setConfirm(false)}
                onConfirm={async () => {
                    setConfirm(false);
                    try {
                        const { secret } = await dataProvider.rotateSubscriptionSecret(record.id);
                        setSecret(secret);
                    } catch (error: any) {
                        notify(error?.message ?? 'ra.notification.http_error', { type: 'error' });
                    }
                }}
            />
            <SecretDialog secret={secret} onClose={() => setSecret(null)} />
        </>
    );
};
