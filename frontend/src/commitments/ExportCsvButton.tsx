import { useState } from 'react';
import { Button } from '@mui/material';
import DownloadIcon from '@mui/icons-material/Download';
import { useDataProvider, useListContext, useNotify, useTranslate } from 'react-admin';
import type { SuiviDataProvider } from '../dataProvider';

/** Downloads GET /api/commitments/export?format=csv with the list's current filters. */
export const ExportCsvButton = () => {
    const { filterValues } = useListContext();
    const dataProvider = useDataProvider<SuiviDataProvider>();
    const notify = useNotify();
    const translate = useTranslate();
    const [busy, setBusy] = useState(false);

    const onClick = async () => {
        setBusy(true);
        try {
            const blob = await dataProvider.exportCommitments(filterValues ?? {}, 'csv');
            const url = URL.createObjectURL(blob);
            const a = document.createElement('a');
            a.href = url;
            a.download = `suivi-commitments-${new Date().toISOString().slice(0, 10)}.csv`;
            document.body.appendChild(a);
            a.click();
            a.remove();
            setTimeout(() => URL.revokeObjectURL(url), 1000);
        } catch (e: any) {
            notify(e?.message ?? 'ra.notification.http_error', { type: 'error' });
        } finally {
            setBusy(false);
        }
    };

    return (
        <Button size="small" startIcon={<DownloadIcon />} onClick={onClick} disabled={busy} aria-label={translate('suivi.commitments.export_csv')}>
            {translate(busy ? 'suivi.commitments.exporting' : 'suivi.commitments.export_csv')}
        </Button>
    );
};

export default ExportCsvButton;
