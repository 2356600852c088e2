import { useState } from 'react';
import { Button } from '@mui/material';
import ReplayIcon from '@mui/icons-material/Replay';
import { useDataProvider, useNotify, useRecordContext, useRefresh, useTranslate } from 'react-admin';
import type { SuiviDataProvider } from '../dataProvider';

export const RedeliverButton = (_: { label?: string }) => {
    const record = useRecordContext();
    const dataProvider = useDataProvider<SuiviDataProvider>();
    const notify = useNotify();
    const refresh = useRefresh();
    const translate = useTranslate();
    const [busy, setBusy] = useState(false);
    if (!record) return null;
    return (
        <Button
            size="small"
            startIcon={<ReplayIcon />}
            disabled={busy}
            aria-label={`${translate('suivi.deliveries.redeliver')} ${record.event_type ?? ''} #${record.id}`}
            onClick={async e => {
                e.stopPropagation();
                setBusy(true);
                try {
                    await dataProvider.redeliver(record.id);
                    notify('suivi.deliveries.redelivered', { type: 'success' });
                    refresh();
                } catch (error: any) {
                    notify(error?.message ?? 'ra.notification.http_error', { type: 'error' });
                } finally {
                    setBusy(false);
                }
            }}
        >
            {translate('suivi.deliveries.redeliver')}
        </Button>
    );
};

export default RedeliverButton;
